import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { rateLimiter, type Store as RateLimitStore } from 'hono-rate-limiter';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import type { AppEnv, Deps } from '../types.js';

const WINDOW_MS = 60_000;
/** Statuses of requests turned away before anything costly ran. */
const NOTHING_CALLED = new Set([400, 401, 403, 404, 409, 413, 415, 422, 503]);

/** hono-rate-limiter's store over the database: every process and replica counts in the same rows. */
function databaseCounter(store: Store, kind: string): RateLimitStore<AppEnv> {
  const key = (k: string) => `${kind}:${k}`;
  return {
    increment: async (k) => {
      const { hits, resetAt } = await store.hit(key(k), WINDOW_MS, new Date());
      return { totalHits: hits, resetTime: resetAt };
    },
    decrement: async (k) => void (await store.hit(key(k), WINDOW_MS, new Date(), -1)),
    resetKey: (k) => store.resetHits(key(k)),
  };
}

/** What a limit counts: its name in the counters and in the 429 message, how many a minute, and whether it applies. */
interface Limit {
  kind: string;
  what: string;
  perMinute: number;
  active: boolean;
}

/**
 * Per-user limits on what costs calls to a paid endpoint, counted per user per minute in the
 * database (every replica in the same rows), answered with 429 and Retry-After:
 * - `model`: answers, retries and grading (RATE_LIMIT_PER_MINUTE), with the openai provider (the
 *   offline provider calls nothing);
 * - `transcription`: recordings sent to the transcription server (the same number), when there is one;
 * - `speech`: sentences read by the speech model (ten times that: the page asks one per sentence);
 * - `code`: runs and submits of the candidate's code in the sandbox (the same number), whatever the provider.
 */
export function rateLimit(deps: Deps, kind: 'model' | 'transcription' | 'speech' | 'code') {
  const { perMinute } = deps.config.limits;
  const limits: Record<typeof kind, Limit> = {
    model: { kind, what: 'model requests', perMinute, active: deps.config.provider !== 'offline' },
    transcription: { kind, what: 'recordings to transcribe', perMinute, active: deps.config.voice.transcription !== null },
    speech: { kind, what: 'sentences to read aloud', perMinute: perMinute * 10, active: deps.config.voice.speech !== null },
    // Runs of the candidate's code cost sandbox time, with or without a model.
    code: { kind, what: 'code runs', perMinute, active: true },
  };
  const limit = limits[kind];
  if (!limit.active || perMinute === 0) return createMiddleware<AppEnv>((_c, next) => next());
  return rateLimiter<AppEnv>({
    windowMs: WINDOW_MS,
    limit: limit.perMinute,
    standardHeaders: 'draft-6',
    store: databaseCounter(deps.store, kind),
    keyGenerator: (c) => c.var.caller.user.id,
    // A request refused before any model was called (404, 409, 422, 503: a resend while its turn
    // runs, a replay of a stored result) costs nothing, so it counts for nothing.
    skipFailedRequests: true,
    requestWasSuccessful: (c) => !NOTHING_CALLED.has(c.res.status),
    // Offline work calls no model: never held by the model's limit.
    skip: kind === 'model' ? offlineGrade : undefined,
    handler: (c) => {
      const reset = c.res.headers.get('RateLimit-Reset') ?? c.res.headers.get('Retry-After');
      throw new AppError(
        'rate_limited',
        `Too many ${limit.what}: the limit is ${limit.perMinute} a minute (RATE_LIMIT_PER_MINUTE${kind === 'speech' ? ' × 10' : ''}); try again${reset ? ` in ${reset} s` : ' shortly'}`,
      );
    },
  });
}

/**
 * The speech model is paid by the character: its limit counts characters a minute (each sentence
 * read costs its length), SPEECH_CHARS_PER_REQUEST for each request the model limit allows.
 */
export function speechLimit(deps: Deps) {
  const perMinute = deps.config.limits.perMinute * SPEECH_CHARS_PER_REQUEST;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (deps.config.voice.speech === null || perMinute === 0) return next();
    const text = ((await c.req.json().catch(() => ({}))) as { text?: unknown }).text;
    const chars = typeof text === 'string' ? text.length : 0;
    const at = new Date();
    const { hits, resetAt } = await deps.store.hit(`speech-chars:${c.var.caller.user.id}`, WINDOW_MS, at, chars);
    if (hits > perMinute) {
      await deps.store.hit(`speech-chars:${c.var.caller.user.id}`, WINDOW_MS, at, -chars);
      const wait = Math.max(1, Math.ceil((resetAt.getTime() - at.getTime()) / 1000));
      throw new AppError(
        'rate_limited',
        `Too much text to read aloud: the limit is ${perMinute} characters a minute (RATE_LIMIT_PER_MINUTE × ${SPEECH_CHARS_PER_REQUEST}); try again in ${wait} s`,
        { retryAfter: wait },
      );
    }
    await next();
  });
}
/** Characters of speech a minute for each request a minute RATE_LIMIT_PER_MINUTE allows. */
export const SPEECH_CHARS_PER_REQUEST = 200;

/** Tokens held from the budget for each costly request until its real usage is known. */
export const RESERVED_TOKENS = 4000;

/**
 * Holds up to RESERVED_TOKENS of the user's monthly token budget (USER_TOKEN_BUDGET) before a
 * costly call (a model call with the openai provider, or speech, whatever the provider), in one
 * transaction, so parallel requests cannot together pass the budget: the first takes what is
 * left, the others get 429 budget_exhausted. Returns the release, to call once the real usage is
 * recorded.
 */
export async function reserveBudget(deps: Deps, userId: string, costly = deps.config.provider !== 'offline'): Promise<() => Promise<void>> {
  const budget = deps.config.limits.monthlyTokens;
  if (!costly || budget === undefined) return async () => {};
  const held = await deps.accounts.reserve(userId, RESERVED_TOKENS, budget);
  if (held === 0) {
    const used = await deps.accounts.usageThisMonth(userId);
    const total = used.promptTokens + used.completionTokens;
    throw new AppError(
      'budget_exhausted',
      `Your model token budget for ${used.month} is spent (${total} of ${budget} tokens, counting requests still running): it renews next month. POST /api/grade with "provider": "offline" still works.`,
    );
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await deps.accounts.release(userId, held).catch(() => {});
  };
}

/** A request to grade with the offline grader (`"provider": "offline"`): it calls no model. */
async function offlineGrade(c: Context<AppEnv>): Promise<boolean> {
  if (c.req.path !== '/api/grade') return false;
  const body = await c.req.json().catch(() => undefined);
  return (body as { provider?: unknown } | undefined)?.provider === 'offline';
}
