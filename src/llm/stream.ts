import { mapModelError, type Message, type Model } from './client.js';
import type { Usage } from './usage.js';

export type OnToken = (text: string) => void;

/** A complete streamed reply and what it cost. */
export interface Spoken {
  text: string;
  usage?: Usage;
}

/**
 * Streams a chat completion's text: each piece goes to `onToken` as it arrives, the whole reply
 * is returned at the end. Transport failures are mapped like every other model error.
 */
export async function streamText(
  llm: Model,
  messages: Message[],
  onToken: OnToken,
  options: { temperature?: number; signal?: AbortSignal } = {},
): Promise<Spoken> {
  let text = '';
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  try {
    const stream = await llm.client.chat.completions.create(
      {
        model: llm.model,
        stream: true,
        stream_options: { include_usage: true },
        temperature: options.temperature ?? 0.4,
        messages,
      },
      { signal: options.signal },
    );
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        onToken(delta);
      }
      if (chunk.usage) {
        usage.promptTokens = chunk.usage.prompt_tokens;
        usage.completionTokens = chunk.usage.completion_tokens;
      }
    }
  } catch (e) {
    throw mapModelError(e, llm.model);
  }
  if (!text.trim()) throw mapModelError(new Error('the model returned an empty message'), llm.model);
  return { text, usage };
}
