import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { ModelError } from '../errors.js';
import { mapModelError, type Message, type Model } from './client.js';
import { unobserved } from './observe.js';
import type { Usage } from './usage.js';

export interface StructuredOptions<T extends z.ZodType> extends Model {
  messages: Message[];
  schema: T;
  name: string;
  /** Checks beyond the schema; returns a problem to send back to the model, or undefined. */
  check?: (value: z.infer<T>) => string | undefined;
  signal?: AbortSignal;
  temperature?: number;
}

/**
 * A chat completion whose reply must be JSON matching a zod schema. With `json_schema` the schema
 * goes to the server as structured output; with `json_object` (servers without it: Ollama, older
 * vLLM, llama.cpp) it goes in the prompt. A reply that is not JSON or fails validation is sent
 * back once with the problem; a second failure is an error. A half-valid value is never returned.
 */
export async function completeStructured<T extends z.ZodType>(o: StructuredOptions<T>): Promise<{ value: z.infer<T>; usage: Usage }> {
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  const format = zodResponseFormat(o.schema, o.name);
  const messages: Message[] =
    o.responseFormat === 'json_object'
      ? [
          ...o.messages,
          {
            role: 'system',
            content: `Reply with one JSON object that matches this JSON schema:\n${JSON.stringify(format.json_schema.schema)}`,
          },
        ]
      : [...o.messages];
  let lastProblem = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    const call = (o.observer ?? unobserved).start({ operation: 'chat', model: o.model, stream: false, messages });
    try {
      completion = await o.client.chat.completions.create(
        {
          model: o.model,
          messages,
          temperature: o.temperature ?? 0,
          response_format:
            o.responseFormat === 'json_schema' ? { type: 'json_schema', json_schema: format.json_schema } : { type: 'json_object' },
        },
        { signal: o.signal },
      );
    } catch (e) {
      const err = mapModelError(e, o.model, o.signal);
      call.end({ error: err.code });
      throw err;
    }
    const choice = completion.choices[0];
    const message = choice?.message;
    // A reply refused, cut off or filtered fails the call: counted and traced with its code.
    const failure = unusable(choice);
    call.end({
      inputTokens: completion.usage?.prompt_tokens,
      outputTokens: completion.usage?.completion_tokens,
      finishReasons: completion.choices.map((c) => c.finish_reason),
      responseModel: completion.model || undefined,
      responseId: completion.id || undefined,
      reply: message?.content ?? undefined,
      error: failure?.code,
    });
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    if (failure) throw failure;
    const content = message?.content ?? '';
    let problem: string;
    try {
      const parsed = o.schema.safeParse(JSON.parse(stripFences(content)));
      if (parsed.success) {
        const extra = o.check?.(parsed.data);
        if (!extra) return { value: parsed.data, usage };
        problem = extra;
      } else {
        problem = parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
      }
    } catch (e) {
      problem = `not valid JSON (${(e as Error).message})`;
    }
    lastProblem = problem;
    messages.push(
      { role: 'assistant', content },
      { role: 'user', content: `Your reply was invalid: ${problem}. Reply again with only the corrected JSON object.` },
    );
  }
  throw new ModelError(
    'model_invalid_output',
    `The model's reply was not in the expected format, twice; try again or use a model that supports structured output`,
    {
      cause: new Error(lastProblem),
    },
  );
}

/** Why a reply cannot be used at all (rather than sent back to be corrected): refused, cut off, or filtered. */
function unusable(choice: OpenAI.Chat.Completions.ChatCompletion.Choice | undefined): ModelError | undefined {
  // Not its words: a refusal can quote the answer, and this message is also the server log's.
  if (choice?.message?.refusal) return new ModelError('model_refused', 'The model refused to answer; try again, or use another model');
  if (choice?.finish_reason === 'length') {
    return new ModelError(
      'model_truncated',
      'The model reply was cut off (finish_reason "length"): raise the model\'s output limit or use a larger context',
    );
  }
  if (choice?.finish_reason === 'content_filter') return new ModelError('model_refused', 'The model reply was blocked by a content filter');
  return undefined;
}

/** Some local servers wrap JSON mode replies in a Markdown fence. */
function stripFences(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return m ? m[1]! : text;
}
