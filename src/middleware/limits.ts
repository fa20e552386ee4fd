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
 * - `speech`: sentences read by the speech model (ten times that: the page asks one per sentence).
 */
export function rateLimit(deps: Deps, kind: 'model' | 'transcription' | 'speech') {
  const { perMinute } = deps.config.limits;
  const limits: Record<typeof kind, Limit> = {
    model: { kind, what: 'model requests', perMinute, active: deps.config.provider !== 'offline' },
    transcription: { kind, what: 'recordings to transcribe', perMinute, active: deps.config.voice.transcription !== null },
    speech: { kind, what: 'sentences to read aloud', perMinute: perMinute * 10, active: deps.config.voice.speech !== null },
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
    handler: (c) => {
      const reset = c.res.headers.get('RateLimit-Reset') ?? c.res.headers.get('Retry-After');
      throw new AppError(
        'rate_limited',
        `Too many ${limit.what}: the limit is ${limit.perMinute} a minute (RATE_LIMIT_PER_MINUTE${kind === 'speech' ? ' × 10' : ''}); try again${reset ? ` in ${reset} s` : ' shortly'}`,
      );
    },
  });
}

/** Stops a model call before it is made when the user's monthly token budget (USER_TOKEN_BUDGET) is spent. */
export async function assertBudget(deps: Deps, userId: string): Promise<void> {
  const budget = deps.config.limits.monthlyTokens;
  if (deps.config.provider === 'offline' || budget === undefined) return;
  const used = await deps.accounts.usageThisMonth(userId);
  const total = used.promptTokens + used.completionTokens;
  if (total >= budget) {
    throw new AppError(
      'budget_exhausted',
      `Your model token budget for ${used.month} is spent (${total} of ${budget} tokens): it renews next month. POST /api/grade with "provider": "offline" still works.`,
    );
  }
}
