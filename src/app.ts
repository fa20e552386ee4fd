import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { type ErrorCode, isAppError } from './errors.js';
import { databaseError } from './db/errors.js';
import { cors } from 'hono/cors';
import { authenticate, LOGIN_COOKIE } from './middleware/auth.js';
import { uploadAllowed, uploadParts } from './middleware/uploads.js';
import { readDeclaredBody } from './middleware/body.js';
import { httpInstrumentationMiddleware } from '@hono/otel';
import { countRequests, metricsHandler } from './middleware/metrics.js';
import { requestLog, routeOf } from './middleware/request-log.js';
import { continueTrace } from './middleware/trace-context.js';
import { errorFields } from './observability/error-fields.js';
import { rateLimit, speechLimit } from './middleware/limits.js';
import { hostGuard, jsonBodies, originGuard, securityHeaders, UPLOADS } from './middleware/security.js';
import { authRoutes } from './routes/auth.js';
import { gradeRoutes } from './routes/grade.js';
import { healthRoutes } from './routes/health.js';
import { progressRoutes } from './routes/progress.js';
import { questionRoutes } from './routes/questions.js';
import { rubricRoutes } from './routes/rubrics.js';
import { sessionRoutes } from './routes/sessions/sessions.index.js';
import { storyRoutes } from './routes/stories.js';
import { codeRoutes } from './routes/code.js';
import { reviewRoutes } from './routes/review.js';
import { RESUME_PATH, resumeRoutes } from './routes/resume.js';
import { MAX_RESUME_BYTES } from './tailor/schema.js';
import { voiceRoutes } from './routes/voice.js';
import { pageRoutes, vendorRoutes } from './routes/web.js';
import { importMap } from './importmap.js';
import type { AppEnv, Deps } from './types.js';
import { VERSION } from './version.js';

/** The page: static files served from web/ (a file path, so a checkout path with spaces works). */
const WEB_ROOT = fileURLToPath(new URL('../web', import.meta.url));

/** Errors Hono itself raises, by status, in the app's codes. */
const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** JSON bodies larger than this are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: Deps) {
  const log = (event: string, fields: Record<string, unknown>) => deps.logger.error({ event, ...fields }, event.replace('_', ' '));
  const app = new OpenAPIHono<AppEnv>();

  // A span for each request, around everything else, with the model calls' spans under it; a
  // child of the proxy's when a trusted proxy sent its trace (traceparent). It is named by the
  // same route pattern as the request's log line and metrics (its http.route attribute stays
  // @hono/otel's own: the middleware that answered, `/api/*` for a 401).
  if (deps.tracing) {
    const spanNameFactory = (c: Context<AppEnv>) => `${c.req.method} ${routeOf(c)}`;
    app.use('*', continueTrace(deps.tracing.propagator, deps.config.auth.trustedProxies));
    app.use('*', httpInstrumentationMiddleware({ tracer: deps.tracing.tracer, captureActiveRequests: false, spanNameFactory }));
  }
  // Next, so that every line logged while a request is handled carries its id.
  app.use('*', requestLog(deps.logger, deps.config.auth.trustedProxies));
  if (deps.metrics) app.use('*', countRequests(deps.metrics));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // Even if something slipped past the sanitizer, the page runs no inline or foreign script or
  // style, and no form can be sent anywhere. (The API reference's Swagger UI styles itself inline.)
  const csp = (inlineStyles: boolean) =>
    securityHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // and the page's import map (src/importmap.ts), by its hash
        scriptSrc: ["'self'", importMap().hash],
        styleSrc: inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // Recordings played back before they are sent, and the server's voice, are blob: URLs.
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'none'"],
        baseUri: ["'none'"],
      },
    });
  const page = csp(false);
  const docs = csp(true);
  app.use('*', (c, next) => (c.req.path.startsWith('/docs') ? docs(c, next) : page(c, next)));
  app.use('*', hostGuard(deps.config.web.allowedHosts));
  if (deps.metrics) app.get('/metrics', metricsHandler(deps.metrics, deps.config.metrics.token));
  if (deps.config.web.corsOrigins.length) {
    // Other sites' pages may call the API with a token; cookies are never sent cross-site.
    app.use(
      '/api/*',
      cors({ origin: deps.config.web.corsOrigins, credentials: false, allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'] }),
    );
  }
  app.use('/api/*', originGuard);
  // Only methods that carry a body: asking a GET for its body would build a whole fetch Request.
  // A recording may be larger than any JSON body: it has its own limit (MAX_AUDIO_MB).
  const limitBody = (maxSize: number, message: string) =>
    bodyLimit({
      maxSize,
      // The rest of the body is never read: close the connection, so the next request on it starts clean.
      onError: (c) => c.json({ error: { code: 'payload_too_large', message } }, 413, { Connection: 'close' }),
    });
  const { maxAudioBytes } = deps.config.voice;
  const jsonLimit = limitBody(MAX_BODY_BYTES, `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
  // The form's other fields and boundaries get 64 KiB on top of the recording itself.
  const audioLimit = limitBody(
    maxAudioBytes + 64 * 1024,
    `The recording is larger than ${maxAudioBytes / 1024 / 1024} MB (MAX_AUDIO_MB): record a shorter answer, or type it`,
  );
  const resumeLimit = limitBody(
    MAX_RESUME_BYTES + 64 * 1024,
    `The file is larger than ${MAX_RESUME_BYTES / 1024 / 1024} MB: save a smaller PDF or DOCX, or paste the text`,
  );
  // Who is calling comes first: without a credential the answer is 401 and the body is never read.
  app.use('/api/*', authenticate);
  // A recording is checked before its body is read (the session is the caller's, the server can
  // transcribe) and before its form is parsed (no more parts than a recording needs).
  app.on('POST', '/api/sessions/:id/answer/audio', uploadAllowed);
  // A JSON body of declared length within the limit needs no counting (Node's parser holds the
  // body to it): it is read as it is, without a fetch Request around it. Any other body is counted.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/*', (c, next) => {
    if (c.req.path === RESUME_PATH) return resumeLimit(c, next);
    if (UPLOADS.test(c.req.path)) return audioLimit(c, next);
    const length = c.req.header('content-length');
    if (length && !c.req.header('transfer-encoding') && Number(length) <= MAX_BODY_BYTES) return readDeclaredBody(c).then(() => next());
    return jsonLimit(c, next);
  });
  app.on('POST', '/api/sessions/:id/answer/audio', uploadParts);
  app.on('POST', RESUME_PATH, uploadParts);

  app.use('/api/*', jsonBodies);
  const limit = rateLimit(deps, 'model');
  // Every route that may call the model: answers, retries, skips and finishes (grading, the closing) and grading.
  for (const path of [
    '/api/sessions/:id/answer',
    '/api/sessions/:id/retry',
    '/api/sessions/:id/skip',
    '/api/sessions/:id/finish',
    '/api/grade',
  ]) {
    app.on('POST', path, limit);
  }
  app.on('POST', '/api/sessions/:id/answer/audio', rateLimit(deps, 'transcription'));
  app.on('POST', '/api/speech', speechLimit(deps));
  app.on('POST', ['/api/sessions/:id/code/run', '/api/sessions/:id/code/submit'], rateLimit(deps, 'code'));

  const routes = app
    .route('/api', healthRoutes)
    .route('/api', authRoutes)
    .route('/api/questions', questionRoutes)
    .route('/api/rubrics', rubricRoutes)
    .route('/api/grade', gradeRoutes)
    .route('/api/sessions', sessionRoutes)
    .route('/api/sessions', codeRoutes)
    .route('/api', resumeRoutes)
    .route('/api/progress', progressRoutes)
    .route('/api/stories', storyRoutes)
    .route('/api/review', reviewRoutes)
    .route('/api', voiceRoutes);
  app.route('/vendor', vendorRoutes);
  app.route('/', pageRoutes);
  app.get('/index.html', (c) => c.redirect('/'));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token: `npm run -s cli -- token create --user NAME` (AUTH=token or proxy)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: LOGIN_COOKIE,
    description: 'The browser sign-in (POST /api/login); unsafe requests must also be JSON from this origin',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    servers: [{ url: '/', description: 'This mockloop server' }],
    // AUTH=token: a bearer token, or the sign-in cookie in the browser; AUTH=none needs neither.
    security: [{ bearer: [] }, { cookie: [] }],
    info: {
      title: 'mockloop API',
      version: VERSION,
      description: 'AI mock interviewer for Amazon-style loops. Errors are `{ error: { code, message } }`.',
    },
  });

  app.get('/docs', (c) => c.redirect('/docs.html'));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

  app.onError((found, c) => {
    // A database that is busy, stopped or full is a 503 to repeat, never a 500.
    const err = isAppError(found) ? found : (databaseError(found) ?? found);
    if (isAppError(err)) {
      if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
      if (err.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="mockloop"');
      // A body left unread is not waited for: the connection closes after the answer.
      if ((err.code === 'unauthorized' || err.code === 'not_found' || err.code === 'not_configured') && c.req.header('content-length')) {
        c.header('Connection', 'close');
      }
      if (err.status >= 500 && !err.logged) {
        log('request_failed', {
          path: c.req.path,
          code: err.code,
          message: err.message,
          cause: err.cause === undefined ? undefined : errorFields(err.cause),
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
    log('unexpected_error', { path: c.req.path, error: errorFields(err) });
    return c.json({ error: { code: 'internal', message: 'Internal server error' } }, 500);
  });

  app.use('/*', serveStatic({ root: WEB_ROOT }));

  return routes;
}

export type AppType = ReturnType<typeof createApp>;
