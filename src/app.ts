import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { type ErrorCode, isAppError } from './errors.js';
import { gradeRoutes } from './routes/grade.js';
import { healthRoutes } from './routes/health.js';
import { progressRoutes } from './routes/progress.js';
import { questionRoutes } from './routes/questions.js';
import { rubricRoutes } from './routes/rubrics.js';
import { sessionRoutes } from './routes/sessions/sessions.index.js';
import { vendorRoutes } from './routes/web.js';
import type { AppEnv, Deps } from './types.js';

/** The page: static files served from web/ (a file path, so a checkout path with spaces works). */
const WEB_ROOT = fileURLToPath(new URL('../web', import.meta.url));

/** Errors Hono itself raises, by status, in the app's codes. */
const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Bodies larger than this are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: Deps) {
  const log = (event: string, fields: Record<string, unknown>) => deps.log(JSON.stringify({ level: 'error', event, ...fields }));
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // Even if something slipped past the sanitizer, the page runs no inline or foreign script.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      // The rest of the body is never read: close the connection, so the next request on it starts clean.
      onError: (c) =>
        c.json({ error: { code: 'payload_too_large', message: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB` } }, 413, {
          Connection: 'close',
        }),
    }),
  );

  const routes = app
    .route('/api', healthRoutes)
    .route('/api/questions', questionRoutes)
    .route('/api/rubrics', rubricRoutes)
    .route('/api/grade', gradeRoutes)
    .route('/api/sessions', sessionRoutes)
    .route('/api/progress', progressRoutes);
  app.route('/vendor', vendorRoutes);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    servers: [{ url: '/', description: 'This mockloop server' }],
    // No credentials in this version: every operation is open to whoever reaches the port.
    security: [],
    info: {
      title: 'mockloop API',
      version: '0.1.0',
      description: 'AI mock interviewer for Amazon-style loops. Errors are `{ error: { code, message } }`.',
    },
  });

  app.get('/docs', (c) => c.redirect('/docs.html'));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

  app.onError((err, c) => {
    if (isAppError(err)) {
      if (err.status >= 500 && !err.logged) {
        log('request_failed', {
          path: c.req.path,
          code: err.code,
          message: err.message,
          cause: String((err.cause as Error)?.message ?? ''),
        });
      }
      return c.json({ error: { code: err.code, message: err.message } }, err.status);
    }
    if (err instanceof HTTPException) {
      const code = HTTP_CODES[err.status] ?? 'bad_request';
      const message =
        err.status === 415
          ? 'The request body must be JSON: send it with Content-Type: application/json'
          : err.status === 400 && /JSON/i.test(err.message)
            ? 'Request body is not valid JSON'
            : err.message;
      return c.json({ error: { code, message } }, err.status);
    }
    log('unexpected_error', { path: c.req.path, message: err.message, stack: err.stack });
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });

  app.use('/*', serveStatic({ root: WEB_ROOT }));

  return routes;
}

export type AppType = ReturnType<typeof createApp>;
