import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
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

/**
 * The request's route pattern (`/api/sessions/:id/answer`), never its path with ids in it. After
 * the request, Hono's route index is the handler that answered.
 */
export const routeOf = (c: Context<AppEnv>) => routePath(c) || 'unmatched';

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
