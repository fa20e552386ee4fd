import { createMiddleware } from 'hono/factory';
import { rateLimiter, type Store as RateLimitStore } from 'hono-rate-limiter';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import type { AppEnv, Deps } from '../types.js';

const WINDOW_MS = 60_000;

/** hono-rate-limiter's store over the database: every process and replica counts in the same rows. */
function databaseCounter(store: Store): RateLimitStore<AppEnv> {
  const key = (k: string) => `model:${k}`;
  return {
    increment: async (k) => {
      const { hits, resetAt } = await store.hit(key(k), WINDOW_MS, new Date());
      return { totalHits: hits, resetTime: resetAt };
    },
    decrement: async (k) => void (await store.hit(key(k), WINDOW_MS, new Date(), -1)),
    resetKey: (k) => store.resetHits(key(k)),
  };
}

/**
 * Per-user limits on what costs model calls. The rate limit counts model-backed requests
 * (answers, retries, grading) per user per minute (RATE_LIMIT_PER_MINUTE) in the database, and
 * answers 429 with Retry-After; with the offline provider nothing calls a model, so nothing is
 * limited.
 */
export function modelRateLimit(deps: Deps) {
  const { perMinute } = deps.config.limits;
  if (deps.config.provider === 'offline' || perMinute === 0) return createMiddleware<AppEnv>((_c, next) => next());
  return rateLimiter<AppEnv>({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-6',
    store: databaseCounter(deps.store),
    keyGenerator: (c) => c.var.caller.user.id,
    handler: (c) => {
      const reset = c.res.headers.get('RateLimit-Reset') ?? c.res.headers.get('Retry-After');
      throw new AppError(
        'rate_limited',
        `Too many model requests: the limit is ${perMinute} a minute (RATE_LIMIT_PER_MINUTE); try again${reset ? ` in ${reset} s` : ' shortly'}`,
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
