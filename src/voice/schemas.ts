import { z } from '@hono/zod-openapi';
import { Delivery, Segment } from './delivery.js';

/** The shapes of spoken answers, as the API validates and documents them. */

/** A transcript the browser's own recogniser made, sent with the confirmed answer. */
export const BrowserSpeech = z
  .object({
    transcript: z.string().min(1).max(20000).openapi({ description: 'What the recogniser heard (the answer text may correct it)' }),
    durationSeconds: z.number().min(0).max(3600),
    segments: z.array(Segment).max(2000).default([]).openapi({ description: 'Recognised phrases with their times, where known' }),
  })
  .strict()
  .openapi('BrowserSpeech');
export type BrowserSpeech = z.infer<typeof BrowserSpeech>;

export const Recording = z
  .object({
    id: z.string(),
    position: z.number().int().nullable(),
    source: z.enum(['server', 'browser']),
    transcript: z.string().openapi({ description: 'What was heard, filler words included' }),
    durationSeconds: z.number(),
    delivery: Delivery,
    confirmed: z.boolean().openapi({ description: 'True once the transcript was sent as an answer' }),
    audioUrl: z.string().nullable().openapi({ description: 'Where the kept audio plays from (KEEP_AUDIO=true), else null' }),
    audioData: z.string().optional().openapi({ description: 'In a JSON export only: the kept audio itself, as a data: URL' }),
  })
  .openapi('Recording');
export type Recording = z.infer<typeof Recording>;
