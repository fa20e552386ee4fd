import { createRoute, z } from '@hono/zod-openapi';
import { MAX_ANSWER_CHARS } from '../../grading/service.js';
import { CreateSession, Session, SessionDefaults, SessionList, TurnResult } from '../../interview/schemas.js';
import { errorResponse, json, Pagination } from '../common.js';

/** The sessions API: paths, inputs and every response, as the OpenAPI document shows them. */

const tags = ['sessions'];
const Id = z.object({ id: z.string().min(1).max(100) });

export const AnswerBody = z.object({
  text: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(MAX_ANSWER_CHARS, { error: `is longer than the limit of ${MAX_ANSWER_CHARS} characters` }),
});

const SSE_DESCRIPTION =
  'With `Accept: text/event-stream`: SSE events `token` ({text}), `message` (a stored interviewer Message), `grade`, `done` ({session}) and `error` ({code, message}). Otherwise the TurnResult as JSON.';

const turnResponses = {
  200: {
    content: { 'application/json': { schema: TurnResult }, 'text/event-stream': { schema: z.string() } },
    description: SSE_DESCRIPTION,
  },
  400: errorResponse('Invalid input'),
  404: errorResponse('No such session'),
  409: errorResponse('The session is finished, or the turn cannot run now'),
  502: errorResponse('The model failed; the answer is kept and the turn can be retried'),
};

const turn = <P extends `/{id}/${string}`>(path: P, summary: string) =>
  createRoute({ method: 'post', path, tags, summary, request: { params: Id }, responses: turnResponses });

export const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Start a loop',
  description: "Picks the questions and returns the session with the interviewer's opening and first question.",
  request: { body: { content: { 'application/json': { schema: CreateSession } }, required: false } },
  responses: { 201: json(Session, 'The new session'), 400: errorResponse('Invalid request') },
});

export const defaults = createRoute({
  method: 'get',
  path: '/defaults',
  tags,
  summary: 'What a loop gets when the request leaves it out: the mix, follow-ups, category order',
  responses: { 200: json(SessionDefaults, 'Defaults') },
});

export const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Past sessions, newest first',
  request: { query: Pagination },
  responses: { 200: json(SessionList, 'Sessions'), 400: errorResponse('Invalid query parameter') },
});

export const get = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'Everything needed to replay a session',
  request: { params: Id },
  responses: { 200: json(Session, 'The session'), 404: errorResponse('No such session') },
});

export const exportSession = createRoute({
  method: 'get',
  path: '/{id}/export',
  tags,
  summary: 'Download a session as Markdown or JSON',
  request: { params: Id, query: z.object({ format: z.enum(['md', 'json']).default('md') }) },
  responses: {
    200: { content: { 'text/markdown': { schema: z.string() }, 'application/json': { schema: Session } }, description: 'The session' },
    400: errorResponse('Unknown format'),
    404: errorResponse('No such session'),
  },
});

export const answer = createRoute({
  method: 'post',
  path: '/{id}/answer',
  tags,
  summary: 'Answer the current question',
  description: 'The answer is stored before any model is called; if the model fails it stays stored and POST …/retry runs the turn again.',
  request: { params: Id, body: { content: { 'application/json': { schema: AnswerBody } }, required: true } },
  responses: turnResponses,
});

export const retry = turn('/{id}/retry', 'Run the last turn again after a failure, without re-sending the answer');
export const skip = turn('/{id}/skip', 'Move on without answering (answers already given are graded)');
export const finish = turn('/{id}/finish', 'End the loop and produce the debrief');

export const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a session and everything in it',
  request: { params: Id },
  responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such session') },
});
