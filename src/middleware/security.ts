import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { isLoopback } from '../config.js';
import { AppError } from '../errors.js';
import type { AppEnv } from '../types.js';

/**
 * Web security for every mode, even on 127.0.0.1, where a page the user visits can still reach
 * the API: a Host allowlist against DNS rebinding, and same-origin or a bearer token for every
 * request that changes something, whatever its content type.
 */

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The routes that take a file (a recorded answer, a résumé) as multipart/form-data instead of JSON. */
export const UPLOADS = /^\/api\/(sessions\/[^/]+\/answer\/audio|resume)$/;

/** The body type a request that changes something must have on this path. */
export const bodyTypeFor = (path: string) => (UPLOADS.test(path) ? /^multipart\/form-data\b/i : /^application\/([\w.+-]+\+)?json\b/i);

/**
 * Hono's secure headers (Content-Security-Policy, HSTS, X-Frame-Options, …) for every response.
 * On Node they go straight onto the outgoing response, worked out once: Hono's middleware sets
 * them on each response's WHATWG Headers after the handler, about a twelfth of a light request's
 * CPU. The set is the one Hono's own middleware produces, asked once on a throwaway app, so the
 * two cannot differ; options must therefore be the same for every request (no CSP nonce). Event
 * streams, written to the socket before any after-handler middleware could run, get them too.
 * Elsewhere (app.request in tests, other runtimes) Hono's middleware runs as it is.
 */
export function securityHeaders(options: Parameters<typeof secureHeaders>[0]) {
  const hono = secureHeaders(options);
  const headers = Promise.resolve(
    new Hono()
      .use(hono)
      .get('/', (c) => c.body(null))
      .request('/'),
  ).then((res) => [...res.headers]);
  return createMiddleware<AppEnv>(async (c, next) => {
    const out = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (!out) return hono(c, next);
    for (const [name, value] of await headers) out.setHeader(name, value);
    await next();
  });
}

/** Only the names this server is known by: a rebound domain pointing at 127.0.0.1 gets a 421. */
export const hostGuard = (allowed: string[]) => {
  const names = new Set(allowed.map((h) => h.toLowerCase()));
  return createMiddleware<AppEnv>(async (c, next) => {
    // The URL's host is the Host header (the node adapter builds the URL from it).
    const host = (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
    const name = host.replace(/:\d+$/, '');
    if (!host || !(isLoopback(name) || names.has(host) || names.has(name))) {
      throw new AppError(
        'misdirected_request',
        `This server does not answer to the host "${host || '(none)'}": set PUBLIC_URL or ALLOWED_HOSTS to serve it under that name`,
      );
    }
    await next();
  });
};

/**
 * An unsafe request (POST, PUT, PATCH, DELETE) must come from this origin or carry a bearer
 * token (which a browser never adds by itself). A request with neither Origin nor Sec-Fetch-Site
 * comes from a tool, not a browser page, and passes.
 */
export const originGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE.has(c.req.method) && !hasBearer(c.req.header('authorization'))) {
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') {
      throw new AppError(
        'forbidden',
        `Cross-site requests cannot change anything here (Sec-Fetch-Site: ${site}); send a bearer token from other tools`,
      );
    }
    if (!sameOrigin(c.req.header('origin'), new URL(c.req.url).host)) {
      throw new AppError('forbidden', 'Requests from another origin cannot change anything here; send a bearer token from other tools');
    }
  }
  await next();
});

/**
 * A request body must be JSON: a form or text/plain post (what a cross-site form can send) is
 * refused. The upload route takes multipart/form-data instead (a recording), and only that; the
 * origin check above still applies to it.
 */
export const jsonBodies = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE.has(c.req.method)) {
    const type = c.req.header('content-type');
    const length = Number(c.req.header('content-length') ?? 0);
    const chunked = /chunked/i.test(c.req.header('transfer-encoding') ?? '');
    const upload = UPLOADS.test(c.req.path);
    if (type ? !bodyTypeFor(c.req.path).test(type) : upload || length > 0 || chunked) {
      throw new AppError(
        'unsupported_media_type',
        upload
          ? c.req.path === '/api/resume'
            ? 'Send the résumé as multipart/form-data, in a field named "file"'
            : 'Send the recording as multipart/form-data, in a field named "audio"'
          : 'The request body must be JSON: send it with Content-Type: application/json',
      );
    }
  }
  await next();
});

export const hasBearer = (authorization: string | undefined) => /^Bearer\s+\S+/i.test(authorization ?? '');

/** True when there is no Origin (not a browser page) or it is this server's own. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host.toLowerCase() === (host ?? '').toLowerCase();
  } catch {
    return false; // "null" and other opaque origins
  }
}
