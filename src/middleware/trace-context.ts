import { context, defaultTextMapGetter, type TextMapPropagator } from '@opentelemetry/api';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../types.js';
import { fromTrustedProxy } from './auth.js';

/**
 * Continues the trace a request arrives in (its W3C `traceparent`), so the request's span is a
 * child of the proxy's and one turn reads as one trace from the edge to the model. Only from
 * TRUSTED_PROXIES, as the request id (request-log.ts) is: a client's own header is not believed,
 * or it could put its requests into another trace, or choose ids that collide with others'.
 *
 * It runs before @hono/otel's middleware, which reads the trace through the process's global
 * propagator: that one stays unset (a no-op), so what this middleware made active is what the
 * request's span continues, and nothing else is read from the headers.
 */
export function continueTrace(propagator: TextMapPropagator, trustedProxies: string[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!fromTrustedProxy(c, trustedProxies)) return next();
    const parent = propagator.extract(context.active(), c.req.header(), defaultTextMapGetter);
    return context.with(parent, next);
  });
}
