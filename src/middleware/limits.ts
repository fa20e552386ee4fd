import { createMiddleware } from 'hono/factory';
import { rateLimiter } from 'hono-rate-limiter';
import { AppError } from '../errors.js';
import type { AppEnv, Deps } from '../types.js';

/**
 * Per-user limits on what costs model calls. The rate limit counts model-backed requests
 * (answers, retries, grading) per user per minute (RATE_LIMIT_PER_MINUTE) and answers 429 with
 * Retry-After; with the offline provider nothing calls a model, so nothing is limited.
 */
export function modelRateLimit(deps: Deps) {
  const { perMinute } = deps.config.limits;
  if (deps.config.provider === 'offline' || perMinute === 0) return createMiddleware<AppEnv>((_c, next) => next());
  return rateLimiter<AppEnv>({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-6',
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
export function assertBudget(deps: Deps, userId: string): void {
  const budget = deps.config.limits.monthlyTokens;
  if (deps.config.provider === 'offline' || budget === undefined) return;
  const used = deps.accounts.usageThisMonth(userId);
  const total = used.promptTokens + used.completionTokens;
  if (total >= budget) {
    throw new AppError(
      'budget_exhausted',
      `Your model token budget for ${used.month} is spent (${total} of ${budget} tokens): it renews next month. POST /api/grade with "provider": "offline" still works.`,
    );
  }
}
