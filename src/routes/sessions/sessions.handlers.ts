import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { CATEGORIES } from '../../bank/schema.js';
import { AppError, isAppError, ModelError } from '../../errors.js';
import { checkAnswer } from '../../grading/service.js';
import { toMarkdown } from '../../interview/export.js';
import type { InterviewLoop, LoopEvents } from '../../interview/loop.js';
import { DEFAULT_MAX_FOLLOW_UPS, DEFAULT_MIX, MAX_FOLLOW_UPS, type TurnResult } from '../../interview/schemas.js';
import type { AppEnv, AppRouteHandler } from '../../types.js';
import type * as routes from './sessions.routes.js';

/** The sessions handlers: validate, call the loop, return. */

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  // The body is optional: an empty one starts the default loop.
  const raw = await c.req.text();
  const body = raw.trim() ? c.req.valid('json') : {};
  return c.json(c.var.deps.loop.createSession(body), 201);
};

export const defaults: AppRouteHandler<typeof routes.defaults> = (c) =>
  c.json({ mix: DEFAULT_MIX, maxFollowUps: DEFAULT_MAX_FOLLOW_UPS, maxFollowUpsLimit: MAX_FOLLOW_UPS, categories: [...CATEGORIES] }, 200);

export const list: AppRouteHandler<typeof routes.list> = (c) => {
  const { limit, offset } = c.req.valid('query');
  return c.json(c.var.deps.loop.views.list(limit, offset), 200);
};

export const get: AppRouteHandler<typeof routes.get> = (c) => c.json(c.var.deps.loop.views.get(c.req.valid('param').id), 200);

export const exportSession: AppRouteHandler<typeof routes.exportSession> = (c) => {
  const { id } = c.req.valid('param');
  const { format } = c.req.valid('query');
  const session = c.var.deps.loop.views.get(id);
  const name = `mockloop-${session.createdAt.slice(0, 10)}-${id.slice(0, 8)}.${format}`;
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  if (format === 'json') return c.body(JSON.stringify(session, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  return c.body(toMarkdown(session), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
};

export const remove: AppRouteHandler<typeof routes.remove> = (c) => {
  c.var.deps.loop.deleteSession(c.req.valid('param').id);
  return c.body(null, 204);
};

type Turn = (loop: InterviewLoop, sessionId: string, events: LoopEvents) => Promise<TurnResult>;

/**
 * One handler for every turn (answer, retry, skip, finish): the 404 or 409 comes back as JSON
 * before anything streams; then the turn runs as SSE or as one JSON response. Work continues even
 * if the client goes away.
 */
function respond(c: Context<AppEnv>, sessionId: string, turn: Turn) {
  const { loop, log } = c.var.deps;
  loop.assertOpen(sessionId);
  if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
    return turn(loop, sessionId, {}).then((result) => c.json(result, 200));
  }
  return streamSSE(c, async (stream) => {
    let chain = Promise.resolve();
    const send = (event: string, data: unknown) => {
      chain = chain.then(() =>
        stream.aborted ? undefined : stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => undefined),
      );
    };
    try {
      await turn(loop, sessionId, {
        token: (text) => send('token', { text }),
        message: (m) => send('message', m),
        grade: (g) => send('grade', g),
      });
      send('done', { session: loop.views.get(sessionId) });
    } catch (e) {
      const err = isAppError(e) ? e : new AppError('internal', 'Internal server error', { cause: e });
      if (err.status >= 500) log?.(`[${err.code}] ${err.message}`, err.cause);
      send('error', { code: err.code, message: err.message, retryable: err instanceof ModelError && err.retryable });
    }
    await chain;
  });
}

export const answer: AppRouteHandler<typeof routes.answer> = (c) => {
  const { id } = c.req.valid('param');
  const text = checkAnswer(c.req.valid('json').text);
  return respond(c, id, (loop, sessionId, events) => loop.answer(sessionId, text, events));
};

export const retry: AppRouteHandler<typeof routes.retry> = (c) =>
  respond(c, c.req.valid('param').id, (loop, id, events) => loop.retry(id, events));
export const skip: AppRouteHandler<typeof routes.skip> = (c) =>
  respond(c, c.req.valid('param').id, (loop, id, events) => loop.skip(id, events));
export const finish: AppRouteHandler<typeof routes.finish> = (c) =>
  respond(c, c.req.valid('param').id, (loop, id, events) => loop.finish(id, events));
