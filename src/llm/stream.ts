import { ModelError } from '../errors.js';
import { mapModelError, type Message, type Model } from './client.js';
import { unobserved } from './observe.js';
import type { Usage } from './usage.js';

/** Takes a piece of the reply; a returned promise pauses reading the model until it settles (back-pressure). */
export type OnToken = (text: string) => void | Promise<void>;

/** The tokens the endpoint reported, for the observer: none when it reported none (a dropped stream), never a made-up 0. */
const tokens = (usage: Usage | undefined) => (usage ? { inputTokens: usage.promptTokens, outputTokens: usage.completionTokens } : {});

/** A complete streamed reply and what it cost. */
export interface Spoken {
  text: string;
  usage?: Usage;
}

/**
 * Streams a chat completion's text: each piece goes to `onToken` as it arrives, the whole reply
 * is returned at the end. Only a complete reply is returned: one the model cut off (finish_reason
 * "length"), a content filter stopped, or a connection dropped before the end is an error, so it
 * is never stored. Transport failures are mapped like every other model error.
 */
export async function streamText(
  llm: Model,
  messages: Message[],
  onToken: OnToken,
  options: { temperature?: number; signal?: AbortSignal } = {},
): Promise<Spoken> {
  let text = '';
  let finish: string | null | undefined;
  let usage: Usage | undefined;
  // What the reply says of itself, for its span: its id and the model that wrote it.
  const named: { responseId?: string; responseModel?: string } = {};
  const call = (llm.observer ?? unobserved).start({ operation: 'chat', model: llm.model, stream: true, messages });
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
      named.responseId ||= chunk.id || undefined;
      named.responseModel ||= chunk.model || undefined;
      const choice = chunk.choices[0];
      const delta = choice?.delta?.content;
      if (delta) {
        if (!text) call.firstToken();
        text += delta;
        await onToken(delta);
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    }
  } catch (e) {
    const err = mapModelError(e, llm.model, options.signal);
    call.end({ error: err.code, ...tokens(usage), ...named, reply: text });
    throw err;
  }
  // A reply the turn cannot use is a failed call, counted and traced with its code like any other.
  const failure = incomplete(finish, text);
  call.end({ ...tokens(usage), ...named, finishReasons: finish ? [finish] : [], reply: text, error: failure?.code });
  if (failure) throw failure;
  return { text, usage: usage ?? { promptTokens: 0, completionTokens: 0 } };
}

/** Why a streamed reply that ended cannot be used: cut off, filtered, dropped before its end, or empty. */
function incomplete(finish: string | null | undefined, text: string): ModelError | undefined {
  if (finish === 'length') {
    return new ModelError(
      'model_truncated',
      'The model\'s reply was cut off before it finished (finish_reason "length"); retry, or raise the model\'s output limit',
    );
  }
  if (finish === 'content_filter') return new ModelError('model_refused', "The model's reply was stopped by a content filter");
  if (!finish) return new ModelError('model_connection', 'The connection to the model dropped before the reply was complete; retry');
  if (!text.trim()) return new ModelError('model_error', 'The model returned an empty message; retry');
  return undefined;
}
