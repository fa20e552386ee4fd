import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import { reserveBudget } from '../middleware/limits.js';
import { createRouter, errors, json } from './common.js';

/** What the page may offer for speaking and listening, and the interviewer's server voice. */

const Voice = z
  .object({
    transcription: z
      .object({ model: z.string() })
      .nullable()
      .openapi({ description: "The server's speech-to-text model; null when it has none (the browser's recogniser may stand in)" }),
    speech: z
      .object({ model: z.string(), voice: z.string() })
      .nullable()
      .openapi({ description: "The server's text-to-speech model; null when the browser's own voice reads" }),
    keepAudio: z.boolean().openapi({ description: 'Whether recordings are kept with the session (KEEP_AUDIO)' }),
    maxAudioSeconds: z.number().int(),
    maxAudioBytes: z.number().int(),
  })
  .openapi('Voice');

export const MAX_SPEECH_CHARS = 4096;
const SpeechBody = z
  .object({ text: z.string().min(1).max(MAX_SPEECH_CHARS).openapi({ description: 'What to say (one interviewer sentence or message)' }) })
  .strict()
  .openapi('SpeechRequest');

export const voiceRoutes = createRouter()
  .openapi(
    createRoute({
      operationId: 'getVoice',
      method: 'get',
      path: '/voice',
      tags: ['voice'],
      summary: 'Voice practice on this server: transcription and speech models, limits, whether audio is kept',
      responses: { 200: json(Voice, 'Voice settings'), ...errors(500) },
    }),
    (c) => {
      const { voice } = c.var.deps.config;
      return c.json(
        {
          transcription: voice.transcription && { model: voice.transcription.model },
          speech: voice.speech && { model: voice.speech.model, voice: voice.speech.voice },
          keepAudio: voice.keepAudio,
          maxAudioSeconds: voice.maxAudioSeconds,
          maxAudioBytes: voice.maxAudioBytes,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      operationId: 'speak',
      method: 'post',
      path: '/speech',
      tags: ['voice'],
      summary: "The interviewer's words as speech (SPEECH_MODEL), MP3",
      request: { body: { content: { 'application/json': { schema: SpeechBody } }, required: true } },
      responses: {
        200: {
          content: { 'audio/mpeg': { schema: z.string().openapi({ format: 'binary' }) } },
          description: "MP3 audio (or the speech server's own format if it ignores the request for MP3)",
        },
        ...errors(400, 403, 413, 415, 429, 500, [501, 'No SPEECH_MODEL is set: the browser voice reads'], 502, 503, 504),
      },
    }),
    async (c) => {
      const { speaker } = c.var.deps;
      if (!speaker)
        throw new AppError('not_configured', "This server has no speech model (SPEECH_MODEL): the page uses the browser's voice");
      const { text } = c.req.valid('json');
      const userId = c.var.caller.user.id;
      const release = await reserveBudget(c.var.deps, userId, true);
      let spoken: Awaited<ReturnType<typeof speaker.speak>>;
      try {
        spoken = await speaker.speak(text, c.req.raw.signal);
        // Speech is paid by the character: it counts in the month's budget, about four characters a token.
        await c.var.deps.accounts.addUsage(userId, { promptTokens: Math.ceil(text.length / 4), completionTokens: 0 });
      } finally {
        await release();
      }
      const { audio, type } = spoken;
      return c.body(audio, 200, { 'Content-Type': type, 'Cache-Control': 'private, max-age=86400' });
    },
  );
