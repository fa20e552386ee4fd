import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { AppError, isAppError } from './errors.js';
import type { Rubric } from './grading/rubrics.js';
import type { Grader } from './grading/types.js';
import type { InterviewLoop } from './interview/loop.js';
import { sessionRoutes } from './routes/sessions.js';
import { progressRoutes } from './routes/progress.js';
import { vendorRoutes } from './routes/web.js';
import { gradeRoutes } from './routes/grade.js';
import { healthRoutes } from './routes/health.js';
import { questionRoutes } from './routes/questions.js';
import { rubricRoutes } from './routes/rubrics.js';

/** Everything the app needs, built by the caller (index.ts or a test): no globals, no side effects. */
export interface Deps {
  config: Config;
  db: Db;
  rubrics: Map<string, Rubric>;
  grader: Grader;
  loop: InterviewLoop;
  log?: (message: string, error?: unknown) => void;
}

export type AppEnv = { Variables: { deps: Deps } };

/** Bodies larger than this are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: Deps) {
  const log = deps.log ?? ((m: string, e?: unknown) => console.error(m, e ?? ''));
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
      onError: () => {
        throw new AppError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );

  const routes = app
    .route('/api/health', healthRoutes)
    .route('/api/questions', questionRoutes)
    .route('/api/rubrics', rubricRoutes)
    .route('/api/grade', gradeRoutes)
    .route('/api/sessions', sessionRoutes)
    .route('/api/progress', progressRoutes);
  app.route('/vendor', vendorRoutes);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
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
      if (err.status >= 500) log(`[${err.code}] ${err.message}`, err.cause);
      return c.json({ error: { code: err.code, message: err.message } }, err.status as 400);
    }
    if (err instanceof HTTPException) {
      const code = err.status === 413 ? 'payload_too_large' : err.status === 404 ? 'not_found' : 'bad_request';
      const message = err.status === 400 && /JSON/i.test(err.message) ? 'Request body is not valid JSON' : err.message;
      return c.json({ error: { code, message } }, err.status);
    }
    log('[internal] unexpected error', err);
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });

  app.use('/*', serveStatic({ root: new URL('../web', import.meta.url).pathname.replace(/^\/(\w:)/, '$1') }));

  return routes;
}

export type AppType = ReturnType<typeof createApp>;
