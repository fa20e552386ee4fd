import { BadRequestError, toFile } from 'openai';
import { z } from 'zod';
import type { AudioEndpoint, Config } from '../config.js';
import { ModelError } from '../errors.js';
import { createOpenAI, mapModelError } from '../llm/client.js';
import { type ModelObserver, unobserved } from '../llm/observe.js';
import { Segment } from './delivery.js';

/**
 * Speech to text through an OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI,
 * faster-whisper / speaches, whisper.cpp's server, LocalAI). Segments with timestamps are asked
 * for (`verbose_json`); a server that only does plain `json` (gpt-4o-transcribe) is asked again
 * without them, and delivery is then measured from words instead of timing.
 */

export interface Transcript {
  text: string;
  /** The audio's length as the server measured it, when it says. */
  durationSeconds: number | undefined;
  segments: Segment[];
}

/**
 * Whisper leaves out "um" and "uh" unless the prompt shows them (OpenAI's speech-to-text guide,
 * "Prompting"): filler words are what delivery feedback counts, so the prompt keeps them.
 */
const KEEP_FILLERS_PROMPT = 'Umm, let me think like, hmm... Okay, so, uh, here is what I, you know, did, basically.';

const Reply = z.object({
  text: z.string(),
  duration: z.coerce.number().nonnegative().optional().catch(undefined),
  // Each segment on its own: one malformed segment does not lose the others.
  segments: z.array(z.unknown()).optional().catch(undefined),
});

export class Transcriber {
  private readonly client;
  readonly model: string;

  constructor(
    endpoint: AudioEndpoint,
    openai: Pick<Config['openai'], 'timeoutMs' | 'maxRetries'>,
    private readonly observer: ModelObserver = unobserved,
  ) {
    this.client = createOpenAI({ ...endpoint, timeoutMs: openai.timeoutMs, maxRetries: openai.maxRetries }, observer);
    this.model = endpoint.model;
  }

  async transcribe(audio: { bytes: Uint8Array; name: string; type: string }, signal?: AbortSignal): Promise<Transcript> {
    const file = () => toFile(audio.bytes, audio.name, { type: audio.type });
    const call = this.observer.start({ operation: 'transcription', model: this.model, stream: false });
    try {
      let raw: unknown;
      try {
        raw = await this.client.audio.transcriptions.create(
          { file: await file(), model: this.model, response_format: 'verbose_json', prompt: KEEP_FILLERS_PROMPT },
          { signal },
        );
      } catch (e) {
        if (!(e instanceof BadRequestError)) throw e;
        raw = await this.client.audio.transcriptions.create(
          { file: await file(), model: this.model, response_format: 'json', prompt: KEEP_FILLERS_PROMPT },
          { signal },
        );
      }
      const reply = Reply.safeParse(typeof raw === 'string' ? { text: raw } : raw);
      if (!reply.success) {
        throw new ModelError('model_invalid_output', `The transcription server (${this.model}) answered without a transcript`, {
          cause: reply.error,
        });
      }
      const segments = (reply.data.segments ?? [])
        .map((s) => Segment.safeParse(s))
        .flatMap((s) => (s.success && s.data.text.trim() ? [{ ...s.data, text: s.data.text.trim() }] : []));
      call.end({});
      return { text: reply.data.text.trim(), durationSeconds: reply.data.duration, segments };
    } catch (e) {
      const err = audioError(e, 'transcription', this.model, signal);
      call.end({ error: err.code });
      throw err;
    }
  }
}

/** The model error, told as a failure of the audio server (transcription or speech), naming the settings to check. */
export function audioError(e: unknown, kind: 'transcription' | 'speech', model: string, signal?: AbortSignal): ModelError {
  const err = mapModelError(e, model, signal);
  const server = `The ${kind} server`;
  const SETTING = kind === 'transcription' ? 'TRANSCRIPTION' : 'SPEECH';
  const what: Partial<Record<ModelError['code'], string>> = {
    model_timeout: `${server} (${model}) did not answer in time`,
    model_connection: `Could not reach the ${kind} server: check ${SETTING}_BASE_URL (or OPENAI_BASE_URL) and that it is running`,
    model_auth: `${server} refused the credentials: check ${kind === 'transcription' ? 'TRANSCRIPTION_API_KEY (or OPENAI_API_KEY)' : 'OPENAI_API_KEY'}`,
    model_rate_limited: `${server} is rate limiting requests`,
    model_unavailable: `${server} had a server error (${err.upstreamStatus ?? 'no status'})`,
    model_error:
      err.upstreamStatus === 404
        ? `${server} has no model "${model}" or no /audio/${kind === 'transcription' ? 'transcriptions' : 'speech'} endpoint: check ${SETTING}_MODEL and ${SETTING}_BASE_URL`
        : `${server} failed (${err.upstreamStatus ?? 'no status'})`,
  };
  const message = what[err.code] ?? err.message;
  const next =
    kind === 'transcription'
      ? 'Your recording is kept in the page: retry, or type your answer.'
      : 'The page reads with the browser voice instead.';
  return new ModelError(err.code, `${message}. ${next}`, { cause: e, retryable: err.retryable, upstreamStatus: err.upstreamStatus });
}
