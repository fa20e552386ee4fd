import type { AudioEndpoint, Config } from '../config.js';
import { createOpenAI } from '../llm/client.js';
import { audioError } from './transcribe.js';

/** Text to speech through an OpenAI-compatible `/audio/speech` endpoint (SPEECH_MODEL): the interviewer's voice. */
export class Speaker {
  private readonly client;
  readonly model: string;
  readonly voice: string;

  constructor(endpoint: AudioEndpoint & { voice: string }, openai: Pick<Config['openai'], 'timeoutMs' | 'maxRetries'>) {
    this.client = createOpenAI({ ...endpoint, timeoutMs: openai.timeoutMs, maxRetries: openai.maxRetries });
    this.model = endpoint.model;
    this.voice = endpoint.voice;
  }

  /** The text spoken, as MP3 (or what the server sends when it ignores the format). */
  async speak(text: string, signal?: AbortSignal): Promise<{ audio: Uint8Array<ArrayBuffer>; type: string }> {
    try {
      const response = await this.client.audio.speech.create(
        { model: this.model, voice: this.voice, input: text, response_format: 'mp3' },
        { signal },
      );
      const type = response.headers.get('content-type')?.split(';')[0]?.trim() || 'audio/mpeg';
      return { audio: new Uint8Array(await response.arrayBuffer()), type };
    } catch (e) {
      throw audioError(e, 'speech', this.model, signal);
    }
  }
}
