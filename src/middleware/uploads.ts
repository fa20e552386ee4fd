import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.js';
import type { AppEnv } from '../types.js';

/** A recording's form: the audio, its duration, its position, and room for a few more. */
export const MAX_FORM_PARTS = 8;

/**
 * Checks a recording upload before its body is read, cheapest first: the session is the caller's
 * (404 otherwise) and the server can transcribe (501).
 */
export const uploadAllowed = createMiddleware<AppEnv>(async (c, next) => {
  const { loop, config } = c.var.deps;
  await loop.views.require(c.req.param('id') ?? '', c.var.caller.user.id);
  if (config.voice.transcription === null) {
    throw new AppError(
      'not_configured',
      "This server has no transcription model (set TRANSCRIPTION_BASE_URL, or use the openai provider): use the browser's speech recognition or type your answer",
    );
  }
  await next();
});

/**
 * Checks the form before it is parsed: the body, already held to MAX_AUDIO_MB, has no more than
 * MAX_FORM_PARTS parts, counted by searching for the boundary in the bytes, which is linear and
 * quick, where parsing 400,000 parts would hold the event loop for seconds. The bytes stay cached
 * for the route's own parsing.
 */
export const uploadParts = createMiddleware<AppEnv>(async (c, next) => {
  const boundary = /^multipart\/form-data\b.*?\bboundary=(?:"([^"]+)"|([^;]+))/i.exec(c.req.header('content-type') ?? '');
  // Not a form: the route says what it wants (415).
  if (!boundary) return next();
  const marker = Buffer.from(`--${(boundary[1] ?? boundary[2])!.trim()}`);
  const body = Buffer.from(await c.req.arrayBuffer());
  let parts = -1;
  for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at + marker.length)) {
    if (++parts > MAX_FORM_PARTS) {
      throw new AppError(
        'bad_request',
        c.req.path === '/api/resume'
          ? `The form has more than ${MAX_FORM_PARTS} parts: send the résumé file only`
          : `The form has more than ${MAX_FORM_PARTS} parts: send the recording, its duration and its position only`,
      );
    }
  }
  await next();
});
