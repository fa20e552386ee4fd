import { createRoute, z } from '@hono/zod-openapi';
import { MAX_ANSWER_CHARS } from '../../grading/service.js';
import { CreateSession, Session, SessionDefaults, SessionList, TurnResult } from '../../interview/schemas.js';
import { Story } from '../../interview/stories.js';
import { wholeNumber } from '../../validation.js';
import { BrowserSpeech, Recording } from '../../voice/schemas.js';
import { errors, json, Pagination } from '../common.js';

/** The sessions API: paths, inputs and every response, as the OpenAPI document shows them. */

const tags = ['sessions'];
const Id = z.object({ id: z.string().min(1).max(100) });

export const AnswerBody = z
  .object({
    text: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .openapi({ description: `Your answer: up to ${MAX_ANSWER_CHARS} characters, stored exactly as sent` }),
    position: wholeNumber(0, 100).optional().openapi({
      description: 'The position (0-based) of the question this answers: if the interview has moved on, the answer is refused (409)',
    }),
    replyTo: wholeNumber(1, Number.MAX_SAFE_INTEGER).optional().openapi({
      description:
        "The id of the interviewer message this answers (a message's number in its session, as the session shows it): if the interviewer has said more since, the answer is refused (409)",
    }),
    recordingId: z.string().min(1).max(100).optional().openapi({
      description: 'A spoken answer: the recording (from POST …/answer/audio) whose transcript `text` confirms or corrects',
    }),
    speech: BrowserSpeech.optional().openapi({ description: "A spoken answer the browser's own recogniser transcribed" }),
  })
  .strict()
  .refine((b) => !(b.recordingId && b.speech), { message: 'send either recordingId or speech, not both', path: ['speech'] })
  .openapi('Answer');

const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .openapi({
      description:
        'A unique key per request (a UUID): the same key with the same body returns the stored result instead of running the turn again; with a different body it is 422.',
    }),
});

/**
 * The event stream, documented as text. Its TypeScript type is `never`, so a typed client's JSON
 * body is the TurnResult alone (a client that asks for SSE reads the stream, not `.json()`).
 */
const EventStream = z.custom<never>(() => true).openapi({ type: 'string', description: 'Server-Sent Events' });

const SSE_DESCRIPTION =
  'With `Accept: text/event-stream`: SSE events `token` ({text}), `message` (a stored interviewer Message), `grade`, `done` ({session}) and `error` ({code, message}). Otherwise the TurnResult as JSON.';

const turnResponses = {
  200: {
    content: { 'application/json': { schema: TurnResult }, 'text/event-stream': { schema: EventStream } },
    description: SSE_DESCRIPTION,
  },
  ...errors(
    400,
    403,
    [404, 'No such session'],
    [409, 'The session is finished, another turn of it is running, or the answer is for a question the interview has left'],
    413,
    415,
    [422, 'The Idempotency-Key was used before with a different request'],
    429,
    500,
    [502, 'The model failed; the answer is kept and the turn can be retried'],
    [503, 'The model provider is rate limiting or unavailable, or this server is shutting down (nothing was stored): retry'],
    504,
  ),
};

const turn = <P extends `/{id}/${string}`>(path: P, operationId: string, summary: string) =>
  createRoute({
    method: 'post',
    path,
    operationId,
    tags,
    summary,
    request: { params: Id, headers: IdempotencyHeader },
    responses: turnResponses,
  });

export const create = createRoute({
  operationId: 'createSession',
  method: 'post',
  path: '/',
  tags,
  summary: 'Start a loop',
  description: "Picks the questions and returns the session with the interviewer's opening and first question.",
  request: { body: { content: { 'application/json': { schema: CreateSession } }, required: false } },
  responses: { 201: json(Session, 'The new session'), ...errors(400, 403, 413, 415, 500) },
});

export const defaults = createRoute({
  operationId: 'getSessionDefaults',
  method: 'get',
  path: '/defaults',
  tags,
  summary: 'What a loop gets when the request leaves it out: the mix, follow-ups, category order',
  responses: { 200: json(SessionDefaults, 'Defaults'), ...errors(500) },
});

export const list = createRoute({
  operationId: 'listSessions',
  method: 'get',
  path: '/',
  tags,
  summary: 'Past sessions, newest first',
  request: { query: Pagination },
  responses: { 200: json(SessionList, 'Sessions'), ...errors(400, 500) },
});

export const get = createRoute({
  operationId: 'getSession',
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'Everything needed to replay a session',
  request: { params: Id },
  responses: { 200: json(Session, 'The session'), ...errors(400, [404, 'No such session'], 500) },
});

export const exportSession = createRoute({
  operationId: 'exportSession',
  method: 'get',
  path: '/{id}/export',
  tags,
  summary: 'Download a session as Markdown or JSON',
  request: { params: Id, query: z.object({ format: z.enum(['md', 'json']).default('md') }) },
  responses: {
    200: {
      content: {
        'text/markdown': { schema: z.string() },
        'application/json': {
          schema: Session.extend({ stories: z.array(Story).openapi({ description: 'The stories of your bank this session told' }) }),
        },
      },
      description: 'The session, with the stories it told',
    },
    ...errors([400, 'Unknown format'], [404, 'No such session'], 500),
  },
});

export const answer = createRoute({
  operationId: 'answerQuestion',
  method: 'post',
  path: '/{id}/answer',
  tags,
  summary: 'Answer the current question',
  description: 'The answer is stored before any model is called; if the model fails it stays stored and POST …/retry runs the turn again.',
  request: { params: Id, headers: IdempotencyHeader, body: { content: { 'application/json': { schema: AnswerBody } }, required: true } },
  responses: turnResponses,
});

export const retry = turn('/{id}/retry', 'retryTurn', 'Run the last turn again after a failure, without re-sending the answer');
export const skip = turn('/{id}/skip', 'skipQuestion', 'Move on without answering (answers already given are graded)');
export const finish = turn('/{id}/finish', 'finishSession', 'End the loop and produce the debrief');

export const remove = createRoute({
  operationId: 'deleteSession',
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a session and everything in it',
  request: { params: Id },
  responses: { 204: { description: 'Deleted' }, ...errors(400, 403, [404, 'No such session'], 500) },
});

const RecordingParams = z.object({ id: z.string().min(1).max(100), recordingId: z.string().min(1).max(100) });

export const AudioAnswer = z
  .object({
    audio: z
      .instanceof(File, { message: 'must be the recording, sent as a file' })
      .openapi({ type: 'string', format: 'binary', description: 'The recording (audio/webm, ogg, wav, mpeg, mp4…)' }),
    durationMs: wholeNumber(0, 24 * 3600 * 1000, { coerce: true })
      .optional()
      .openapi({ description: 'How long the recording is, as the recorder measured it' }),
    position: wholeNumber(0, 100, { coerce: true })
      .optional()
      .openapi({ description: 'The position of the question it answers: refused (409) if the interview has moved on' }),
  })
  .openapi('AudioAnswer');

export const transcribe = createRoute({
  operationId: 'transcribeAnswer',
  method: 'post',
  path: '/{id}/answer/audio',
  tags,
  summary: 'Transcribe a spoken answer for the candidate to confirm',
  description:
    'Transcribes the recording and keeps the transcript with its delivery figures. Nothing is answered yet: send the confirmed (or corrected) text to POST …/answer with `recordingId`. The audio is kept only with KEEP_AUDIO=true.',
  request: { params: Id, body: { content: { 'multipart/form-data': { schema: AudioAnswer } }, required: true } },
  responses: {
    201: json(Recording, 'The transcript, to confirm or correct'),
    ...errors(
      [400, 'No file, an empty recording, or longer than MAX_AUDIO_SECONDS'],
      403,
      [404, 'No such session'],
      [409, 'The session is finished or the interview has moved on'],
      [413, 'The recording is larger than MAX_AUDIO_MB'],
      [415, 'Not multipart/form-data, or the file is not audio'],
      [422, 'No speech was heard in the recording'],
      429,
      500,
      [501, 'This server has no transcription model'],
      [502, 'The transcription server failed: the recording stays in the page, retry or type'],
      [503, 'The transcription server is rate limiting'],
      [504, 'The transcription server did not answer in time'],
    ),
  },
});

export const discardRecording = createRoute({
  operationId: 'discardRecording',
  method: 'delete',
  path: '/{id}/recordings/{recordingId}',
  tags,
  summary: 'Throw away a transcript that was not sent as an answer',
  request: { params: RecordingParams },
  responses: {
    204: { description: 'Discarded' },
    ...errors(400, 403, [404, 'No such session or recording'], [409, 'The recording was sent as an answer'], 500),
  },
});

export const recordingAudio = createRoute({
  operationId: 'getRecordingAudio',
  method: 'get',
  path: '/{id}/recordings/{recordingId}/audio',
  tags,
  summary: 'Play the kept audio of a spoken answer (KEEP_AUDIO=true)',
  request: { params: RecordingParams },
  responses: {
    200: { content: { 'audio/*': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The recording as it was sent' },
    ...errors(400, [404, 'No such session or recording, or its audio was not kept'], 500),
  },
});
