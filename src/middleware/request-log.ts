import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes, routePath } from 'hono/route';
import type { RouterRoute } from 'hono/types';
import { pinoLogger } from 'hono-pino';
import { requestScope } from '../observability/context.js';
import type { Logger } from '../observability/logger.js';
import type { AppEnv } from '../types.js';
import { fromTrustedProxy } from './auth.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a proxy's request id may look like: no spaces, quotes or line breaks to forge log lines with. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The request's id: the one a trusted proxy sent (TRUSTED_PROXIES), so one turn can be followed
 * from the proxy across replicas; else a new one. A client's own header is not believed: it could
 * make its lines look like another user's.
 */
export function requestIdOf(c: Context<AppEnv>, trustedProxies: string[]): string {
  const sent = c.req.header(REQUEST_ID_HEADER);
  if (sent && REQUEST_ID.test(sent) && fromTrustedProxy(c, trustedProxies)) return sent;
  return randomUUID();
}

/** Hono's mark on a sub-app's handler wrapped in the sub-app's own error handler (hono/utils/constants). */
const COMPOSED_HANDLER = '__COMPOSED_HANDLER';

/**
 * A route that answers rather than passes on: a handler takes the context alone, a middleware
 * `next` too (Hono's own test, in matchedRoutes' example). Not the method: `app.on('POST', …)`
 * registers middleware too (the body checks, the rate limits).
 */
const isHandler = (route: RouterRoute) => {
  const handler = route.handler as RouterRoute['handler'] & { [COMPOSED_HANDLER]?: RouterRoute['handler'] };
  return (handler[COMPOSED_HANDLER] ?? handler).length < 2;
};

/**
 * The request's route pattern (`/api/sessions/:id/answer`), never its path with ids in it: that
 * of the first handler its method and path match, the one that answers, or would have had no
 * middleware refused the request first (a 401, a 415, a 429). Not the last: `/api/sessions/defaults`
 * also matches `/api/sessions/:id`, which comes after it. When no handler matches (a 404), the
 * pattern of the middleware that ran last (`/api/*`, `/*`), so the set of labels stays bounded.
 */
export const routeOf = (c: Context<AppEnv>) => matchedRoutes(c).find(isHandler)?.path ?? (routePath(c) || 'unmatched');

/**
 * One log line per request (method, route, status, user, duration), with a request id that every
 * line logged while the request is handled carries (the turn, its model calls, its stream) and
 * that the response returns. Headers, cookies, query strings and bodies are never logged.
 */
export function requestLog(logger: Logger, trustedProxies: string[]) {
  const http: MiddlewareHandler = pinoLogger({
    pino: logger,
    http: {
      // The id is on every line through the request's scope (logger.ts), not only this one.
      reqId: false,
      referRequestIdKey: 'no-such-variable',
      onReqBindings: (c) => ({ req: { method: c.req.method, path: c.req.path } }),
      onResBindings: (c) => ({
        res: { status: c.res.status },
        route: routeOf(c as Context<AppEnv>),
        user: (c as Context<AppEnv>).var.caller?.user.id,
      }),
      onResLevel: (c) => (c.res.status >= 500 ? 'error' : 'info'),
      onResMessage: () => 'request',
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    const reqId = requestIdOf(c, trustedProxies);
    c.set('requestId', reqId);
    c.header(REQUEST_ID_HEADER, reqId);
    await requestScope.run({ reqId }, () => http(c, next));
    if (c.res.headers.get(REQUEST_ID_HEADER) !== reqId) {
      try {
        c.res.headers.set(REQUEST_ID_HEADER, reqId);
      } catch {
        // An immutable response (a fetched one): its headers stay as they are.
      }
    }
  });
}
