import type { Context } from 'hono';
import { CATEGORIES } from '../../bank/schema.js';
import { AppError, isAppError, ModelError } from '../../errors.js';
import { databaseError } from '../../db/errors.js';
import { checkAnswer } from '../../grading/service.js';
import { toMarkdown, withAudio } from '../../interview/export.js';
import type { TurnRequest } from '../../interview/loop.js';
import { deleteSessionStories, storyBank } from '../../interview/story-edits.js';
import { fullLoop } from '../../interview/plan.js';
import { DEFAULT_MAX_FOLLOW_UPS, DEFAULT_MIX, MAX_FOLLOW_UPS, MIX_BY_LEVEL } from '../../interview/schemas.js';
import { DEFAULT_LEVEL, LEVEL_NAMES } from '../../grading/levels.js';
import { LEVELS } from '../../shapes.js';
import { reserveBudget } from '../../middleware/limits.js';
import type { AppEnv, AppRouteHandler } from '../../types.js';
import { eventStream } from './event-stream.js';
import type * as routes from './sessions.routes.js';

/** The sessions handlers: validate, call the loop, return. */

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  // The body is optional: an empty one starts the default loop.
  const raw = await c.req.text();
  const body = raw.trim() ? c.req.valid('json') : {};
  const userId = c.var.caller.user.id;
  // A job description or a résumé is read by the model, when there is one: the month's budget is held for it.
  const release = await reserveBudget(c.var.deps, userId, Boolean(c.var.deps.llm && (body.jobDescription?.trim() || body.resume?.trim())));
  try {
    return c.json(await c.var.deps.loop.createSession(body, userId), 201);
  } finally {
    await release();
  }
};

export const defaults: AppRouteHandler<typeof routes.defaults> = (c) =>
  c.json(
    {
      mix: DEFAULT_MIX,
      maxFollowUps: DEFAULT_MAX_FOLLOW_UPS,
      maxFollowUpsLimit: MAX_FOLLOW_UPS,
      categories: [...CATEGORIES],
      level: DEFAULT_LEVEL,
      levels: LEVELS.map((id) => ({ id, name: LEVEL_NAMES[id], interviews: fullLoop(id), mix: MIX_BY_LEVEL[id] })),
    },
    200,
  );

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { limit, offset } = c.req.valid('query');
  return c.json(await c.var.deps.loop.views.list(c.var.caller.user.id, limit, offset), 200);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) =>
  c.json(await c.var.deps.loop.views.get(c.req.valid('param').id, c.var.caller.user.id), 200);

export const exportSession: AppRouteHandler<typeof routes.exportSession> = async (c) => {
  const { id } = c.req.valid('param');
  const { format } = c.req.valid('query');
  const { store, loop } = c.var.deps;
  const session = await loop.views.get(id, c.var.caller.user.id);
  // The stories of the candidate's bank this session told, as the bank shows them (renamed, merged).
  const bank = await storyBank({ store, views: loop.views }, c.var.caller.user.id);
  const stories = bank.stories.filter((s) => s.told.some((t) => t.sessionId === id));
  const name = `mockloop-${session.createdAt.slice(0, 10)}-${id.slice(0, 8)}.${format}`;
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  if (format === 'json') {
    const whole = { ...(await withAudio(session, store)), stories };
    return c.body(JSON.stringify(whole, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  }
  return c.body(toMarkdown(session, stories), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { id } = c.req.valid('param');
  const { store, loop, now } = c.var.deps;
  const userId = c.var.caller.user.id;
  // Its stories go with it, unless other answers told them too: those keep the candidate's edits.
  await deleteSessionStories({ store, views: loop.views, deleteSession: () => loop.deleteSession(id, userId) }, userId, id, now());
  return c.body(null, 204);
};

const HANDED_OVER =
  'This server is restarting: your answer is saved and another server completes the reply. Send the same request again to get it.';

/**
 * One handler for every turn (answer, retry, skip, finish). Whether the turn can run is decided
 * before anything streams, so a 404, 409 or 422 comes back as JSON; a repeated request with the
 * same Idempotency-Key gets the stored result (as JSON or as the same SSE events). Then the turn
 * runs as SSE or as one JSON response; work continues even if the client goes away. A failure
 * after tokens were streamed tells the client to discard the partial text.
 */
async function respond(c: Context<AppEnv>, sessionId: string, req: TurnRequest) {
  const key = c.req.header('idempotency-key');
  const userId = c.var.caller.user.id;
  // Part of the budget is held until the turn's real usage is recorded: parallel turns cannot pass it together.
  const release = await reserveBudget(c.var.deps, userId);
  let prepared: Awaited<ReturnType<typeof c.var.deps.loop.turns.prepare>>;
  try {
    prepared = await c.var.deps.loop.turns.prepare(sessionId, { ...req, idempotencyKey: key || undefined, userId });
  } catch (e) {
    await release();
    throw e;
  }
  const sse = (c.req.header('accept') ?? '').includes('text/event-stream');
  if ('replay' in prepared) {
    await release();
    c.header('Idempotent-Replayed', 'true');
  }
  if (!sse) {
    if ('replay' in prepared) return c.json(prepared.replay, 200);
    try {
      // Handed over on shutdown: a 503 with Retry-After now, not a connection closed without an answer.
      let handedOver!: (e: AppError) => void;
      const handover = new Promise<never>((_, reject) => (handedOver = reject));
      const run = prepared.run({ handover: (retryAfter) => handedOver(new AppError('shutting_down', HANDED_OVER, { retryAfter })) });
      return c.json(await Promise.race([run, handover]), 200);
    } finally {
      await release();
    }
  }
  return eventStream(c, 'replay' in prepared ? { 'Idempotent-Replayed': 'true' } : {}, async (send) => {
    if ('replay' in prepared) {
      for (const g of prepared.replay.grades) await send('grade', g);
      for (const m of prepared.replay.messages) if (m.role === 'interviewer') await send('message', m);
      await send('done', { session: prepared.replay.session });
      return;
    }
    let streamed = false;
    try {
      const result = await prepared.run({
        token: (text) => {
          streamed = true;
          return send('token', { text });
        },
        message: (m) => {
          streamed = false;
          void send('message', m);
        },
        grade: (g) => void send('grade', g),
        handover: (retryAfter) => void send('handover', { message: HANDED_OVER, retryAfter }),
      });
      await send('done', { session: result.session });
    } catch (e) {
      const err = isAppError(e) ? e : (databaseError(e) ?? new AppError('internal', 'Internal server error', { cause: e }));
      await send('error', {
        code: err.code,
        message: err.message,
        // A model that may answer next time, or a database that was busy or away for a moment.
        retryable: err instanceof ModelError ? err.retryable : err.retryAfter !== undefined,
        // Tokens of a reply that did not complete were not stored: the client must drop them.
        discardPartial: streamed,
      });
    } finally {
      await release();
    }
  });
}

export const answer: AppRouteHandler<typeof routes.answer> = (c) => {
  const { id } = c.req.valid('param');
  const body = c.req.valid('json');
  return respond(c, id, {
    action: 'answer',
    text: checkAnswer(body.text),
    position: body.position,
    replyTo: body.replyTo,
    recordingId: body.recordingId,
    speech: body.speech,
  });
};

export const transcribe: AppRouteHandler<typeof routes.transcribe> = async (c) => {
  const { id } = c.req.valid('param');
  const { audio, durationMs, position } = c.req.valid('form');
  const release = await reserveBudget(c.var.deps, c.var.caller.user.id);
  try {
    return c.json(
      await c.var.deps.recordings.transcribe(id, c.var.caller.user.id, { file: audio, durationMs, position }, c.req.raw.signal),
      201,
    );
  } finally {
    await release();
  }
};

export const discardRecording: AppRouteHandler<typeof routes.discardRecording> = async (c) => {
  const { id, recordingId } = c.req.valid('param');
  await c.var.deps.recordings.discard(id, c.var.caller.user.id, recordingId);
  return c.body(null, 204);
};

export const recordingAudio: AppRouteHandler<typeof routes.recordingAudio> = async (c) => {
  const { id, recordingId } = c.req.valid('param');
  const { audio, audioType } = await c.var.deps.recordings.audio(id, c.var.caller.user.id, recordingId);
  return c.body(new Uint8Array(audio), 200, { 'Content-Type': audioType, 'Cache-Control': 'private, max-age=3600' });
};

export const retry: AppRouteHandler<typeof routes.retry> = (c) => respond(c, c.req.valid('param').id, { action: 'retry' });
export const skip: AppRouteHandler<typeof routes.skip> = (c) => respond(c, c.req.valid('param').id, { action: 'skip' });
export const finish: AppRouteHandler<typeof routes.finish> = (c) => respond(c, c.req.valid('param').id, { action: 'finish' });
