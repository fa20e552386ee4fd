import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'hono';
import { AppError } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';
import type { AppEnv } from '../types.js';
import { routeOf } from './request-log.js';

/** Counts each request by method, route pattern and status, and times it. */
export function countRequests(metrics: Metrics) {
  return async (c: Context<AppEnv>, next: Next) => {
    const began = performance.now();
    await next();
    const route = routeOf(c);
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.requestDuration.observe({ method: c.req.method, route }, (performance.now() - began) / 1000);
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics in the Prometheus text format. With METRICS_TOKEN (needed with AUTH=token or
 * proxy) the scraper sends it as a bearer token: it is not a user's token, and a user's token does
 * not open it.
 */
export function metricsHandler(metrics: Metrics, token: string | undefined) {
  return async (c: Context<AppEnv>) => {
    if (token) {
      const sent = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(sent), digest(token))) {
        throw new AppError('unauthorized', 'The metrics need "Authorization: Bearer <METRICS_TOKEN>"');
      }
    }
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  };
}
