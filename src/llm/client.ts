import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Usage } from '../grading/types.js';

export type Message = ChatCompletionMessageParam;

/** The one OpenAI client of the app, for any OpenAI-compatible endpoint. */
export function createOpenAI(config: Config['openai']) {
  return new OpenAI({
    apiKey: config.apiKey ?? 'not-needed',
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    // The SDK retries 408/409/429/5xx and connection errors with backoff.
    maxRetries: config.maxRetries,
    // Looked up per call, so a fetch installed later (a proxy, msw in tests) is honoured.
    fetch: (url, init) => globalThis.fetch(url, init),
  });
}

/** Maps an OpenAI SDK error, by class, to the app's one error type with a clear message. */
export function mapModelError(e: unknown, model: string): AppError {
  if (e instanceof AppError) return e;
  const cause = { cause: e };
  if (e instanceof APIUserAbortError) return new AppError('model_error', 'The model request was cancelled', cause);
  if (e instanceof APIConnectionTimeoutError) {
    return new AppError('model_timeout', `The model (${model}) did not answer in time; try again`, cause);
  }
  if (e instanceof APIConnectionError) {
    return new AppError(
      'model_connection',
      `Could not connect to the model endpoint for ${model}: check OPENAI_BASE_URL and that the server is running`,
      cause,
    );
  }
  if (e instanceof RateLimitError) {
    return new AppError('model_rate_limited', `The model provider is rate limiting requests (429); wait a moment and retry`, cause);
  }
  if (e instanceof AuthenticationError || e instanceof PermissionDeniedError) {
    return new AppError(
      'model_auth',
      `The model provider refused the credentials (${(e as APIError).status}); check OPENAI_API_KEY`,
      cause,
    );
  }
  if (e instanceof NotFoundError) return new AppError('model_error', `The model "${model}" was not found at the endpoint`, cause);
  if (e instanceof InternalServerError) {
    return new AppError('model_unavailable', `The model provider had a server error (${e.status}); retry later`, cause);
  }
  if (e instanceof APIError)
    return new AppError('model_error', `The model request failed (${e.status ?? 'no status'}): ${e.message}`, cause);
  return new AppError('model_error', `The model request failed: ${(e as Error)?.message ?? String(e)}`, cause);
}

/** A configured model: the client, the model name, and how it does structured output. */
export interface Model {
  client: OpenAI;
  model: string;
  responseFormat: 'json_schema' | 'json_object';
}

export function createModel(config: Config['openai']): Model {
  return { client: createOpenAI(config), model: config.model, responseFormat: config.responseFormat };
}

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
  const format = zodResponseFormat(o.schema as never, o.name);
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
      throw mapModelError(e, o.model);
    }
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    const choice = completion.choices[0];
    const message = choice?.message;
    if (message?.refusal) throw new AppError('model_refused', `The model refused to answer: ${message.refusal}`);
    if (choice?.finish_reason === 'length') {
      throw new AppError(
        'model_truncated',
        'The model reply was cut off (finish_reason "length"): raise the model\'s output limit or use a larger context',
      );
    }
    if (choice?.finish_reason === 'content_filter') throw new AppError('model_refused', 'The model reply was blocked by a content filter');
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
  throw new AppError('model_invalid_output', `The model's reply did not match the expected format twice (${lastProblem})`);
}

/** Some local servers wrap JSON mode replies in a Markdown fence. */
function stripFences(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return m ? m[1]! : text;
}
