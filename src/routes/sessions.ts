import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../app.js';
import { Topic } from '../bank/schema.js';
import { AppError, isAppError } from '../errors.js';
import { wholeNumber } from '../validation.js';
import { Grade } from '../grading/grade.js';
import { checkAnswer, MAX_ANSWER_CHARS } from '../grading/service.js';
import { Debrief } from '../interview/debrief.js';
import { toMarkdown } from '../interview/export.js';
import type { LoopEvents } from '../interview/loop.js';
import { createRouter, errorResponse, json, Pagination } from './common.js';

const count = wholeNumber(0, 10);

const CreateSession = z
  .object({
    mix: z
      .object({ behavioral: count.optional(), technical: count.optional(), system_design: count.optional(), company: count.optional() })
      .strict()
      .optional()
      .openapi({
        example: { behavioral: 2, technical: 2, system_design: 1 },
        description: 'Questions per category; default an SDE loop (2 behavioural, 2 technical, 1 system design)',
      }),
    questionIds: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Exactly these questions, in this order (overrides mix)' }),
    topics: z.array(Topic).max(10).optional().openapi({ description: 'Prefer questions on these topics' }),
    seed: z
      .union([z.string().min(1).max(100), z.number().int()], { error: 'must be a string (up to 100 characters) or a whole number' })
      .transform(String)
      .optional()
      .openapi({ description: 'The same seed gives the same questions' }),
    maxFollowUps: wholeNumber(0, 3, { message: 'must be 0, 1, 2 or 3' })
      .optional()
      .openapi({ description: 'Follow-up questions per question (0–3, default 2)' }),
  })
  .strict()
  .openapi('CreateSession');

const Usage = z.object({ promptTokens: z.number(), completionTokens: z.number() }).nullable();
const Message = z
  .object({
    id: z.number().int(),
    role: z.enum(['interviewer', 'candidate']),
    kind: z.string().openapi({ description: 'opening, question, followup, answer, skip or closing' }),
    content: z.string(),
    sessionQuestionId: z.number().int().nullable(),
    position: z.number().int().nullable(),
    createdAt: z.string(),
    usage: Usage,
  })
  .openapi('Message');

const SessionSummary = z
  .object({
    id: z.string(),
    status: z.enum(['active', 'finished']),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    provider: z.string(),
    model: z.string().nullable(),
    loop: z.string(),
    questionCount: z.number().int(),
    gradedCount: z.number().int(),
    skippedCount: z.number().int(),
    score: z.number().nullable().openapi({ description: 'Mean score of the graded questions' }),
    tokens: z.object({ prompt: z.number(), completion: z.number() }),
  })
  .openapi('SessionSummary');

const Session = SessionSummary.extend({
  request: z.record(z.string(), z.unknown()),
  seed: z.string(),
  maxFollowUps: z.number().int(),
  currentPosition: z.number().int(),
  questions: z.array(
    z.object({
      id: z.number().int(),
      position: z.number().int(),
      questionId: z.string(),
      prompt: z.string().nullable().openapi({ description: 'null until the question is asked' }),
      category: z.string(),
      rubricId: z.string(),
      topics: z.array(z.string()),
      leadershipPrinciples: z.array(z.string()),
      state: z.enum(['pending', 'asked', 'grading', 'graded', 'skipped']),
      followUps: z.number().int(),
      timeBoxSeconds: z.number().int(),
      askedAt: z.string().nullable(),
      answeredAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      referenceAnswer: z.string().nullable().openapi({ description: 'Revealed once the question is over' }),
      signals: z.array(z.string()),
      grade: Grade.nullable(),
      gradeUsage: Usage,
    }),
  ),
  messages: z.array(Message),
  debrief: Debrief.nullable(),
}).openapi('Session');

const TurnResult = z
  .object({
    messages: z.array(Message).openapi({ description: 'Messages stored by this call (the answer and the interviewer reply)' }),
    grades: z.array(z.object({ sessionQuestionId: z.number().int(), position: z.number().int(), grade: Grade })),
    session: Session,
  })
  .openapi('TurnResult');

const Id = z.object({ id: z.string().min(1).max(100) });
const AnswerBody = z.object({
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

const turnRoute = (path: string, summary: string) =>
  createRoute({ method: 'post', path, tags: ['sessions'], summary, request: { params: Id }, responses: turnResponses });

const answerRoute = createRoute({
  method: 'post',
  path: '/{id}/answer',
  tags: ['sessions'],
  summary: 'Answer the current question',
  description: 'The answer is stored before any model is called; if the model fails it stays stored and POST …/retry runs the turn again.',
  request: { params: Id, body: { content: { 'application/json': { schema: AnswerBody } }, required: true } },
  responses: turnResponses,
});

type Turn = (events: LoopEvents) => Promise<unknown>;

/** Runs a turn as SSE or as one JSON response; work continues even if the client goes away. */
function respond(c: Context<AppEnv>, sessionId: string, turn: Turn) {
  const loop = c.var.deps.loop;
  if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
    return turn({}).then((result) => c.json(result as object, 200));
  }
  return streamSSE(c, async (stream) => {
    let chain = Promise.resolve();
    const send = (event: string, data: unknown) => {
      chain = chain.then(() =>
        stream.aborted ? undefined : stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => undefined),
      );
    };
    try {
      await turn({
        token: (text) => send('token', { text }),
        message: (m) => send('message', m),
        grade: (g) => send('grade', g),
      });
      send('done', { session: loop.getSession(sessionId) });
    } catch (e) {
      const err = isAppError(e) ? e : new AppError('internal', 'Internal server error', { cause: e });
      if (err.status >= 500) c.var.deps.log?.(`[${err.code}] ${err.message}`, err.cause);
      send('error', { code: err.code, message: err.message, retryable: err.code.startsWith('model_') });
    }
    await chain;
  });
}

export const sessionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['sessions'],
      summary: 'Start a loop',
      description: "Picks the questions and returns the session with the interviewer's opening and first question.",
      request: { body: { content: { 'application/json': { schema: CreateSession } }, required: false } },
      responses: { 201: json(Session, 'The new session'), 400: errorResponse('Invalid request') },
    }),
    async (c) => {
      const raw = await c.req.text();
      const body = raw.trim() ? c.req.valid('json') : {};
      return c.json(c.var.deps.loop.createSession(body) as never, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['sessions'],
      summary: 'Past sessions, newest first',
      request: { query: Pagination },
      responses: {
        200: json(
          z.object({ items: z.array(SessionSummary), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
          'Sessions',
        ),
      },
    }),
    (c) => {
      const { limit, offset } = c.req.valid('query');
      return c.json(c.var.deps.loop.listSessions(limit, offset) as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['sessions'],
      summary: 'Everything needed to replay a session',
      request: { params: Id },
      responses: { 200: json(Session, 'The session'), 404: errorResponse('No such session') },
    }),
    (c) => c.json(c.var.deps.loop.getSession(c.req.valid('param').id) as never, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/export',
      tags: ['sessions'],
      summary: 'Download a session as Markdown or JSON',
      request: { params: Id, query: z.object({ format: z.enum(['md', 'json']).default('md') }) },
      responses: {
        200: { content: { 'text/markdown': { schema: z.string() }, 'application/json': { schema: Session } }, description: 'The session' },
        404: errorResponse('No such session'),
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const { format } = c.req.valid('query');
      const session = c.var.deps.loop.getSession(id);
      const name = `mockloop-${session.createdAt.slice(0, 10)}-${id.slice(0, 8)}.${format}`;
      c.header('Content-Disposition', `attachment; filename="${name}"`);
      if (format === 'json') return c.body(JSON.stringify(session, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
      return c.body(toMarkdown(session), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    },
  )
  .openapi(answerRoute, (c) => {
    const { id } = c.req.valid('param');
    const { text } = c.req.valid('json');
    checkAnswer(text);
    c.var.deps.loop.assertOpen(id);
    return respond(c, id, (events) => c.var.deps.loop.answer(id, text, events)) as never;
  })
  .openapi(turnRoute('/{id}/retry', 'Run the last turn again after a failure, without re-sending the answer'), (c) => {
    const { id } = c.req.valid('param');
    c.var.deps.loop.assertOpen(id);
    return respond(c, id, (events) => c.var.deps.loop.retry(id, events)) as never;
  })
  .openapi(turnRoute('/{id}/skip', 'Move on without answering (answers already given are graded)'), (c) => {
    const { id } = c.req.valid('param');
    c.var.deps.loop.assertOpen(id);
    return respond(c, id, (events) => c.var.deps.loop.skip(id, events)) as never;
  })
  .openapi(turnRoute('/{id}/finish', 'End the loop and produce the debrief'), (c) => {
    const { id } = c.req.valid('param');
    c.var.deps.loop.assertOpen(id);
    return respond(c, id, (events) => c.var.deps.loop.finish(id, events)) as never;
  })
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags: ['sessions'],
      summary: 'Delete a session and everything in it',
      request: { params: Id },
      responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such session') },
    }),
    (c) => {
      c.var.deps.loop.deleteSession(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
