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
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Config } from '../config.js';
import { ModelError } from '../errors.js';

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
export function mapModelError(e: unknown, model: string): ModelError {
  if (e instanceof ModelError) return e;
  const cause = { cause: e };
  if (e instanceof APIUserAbortError) return new ModelError('model_error', 'The model request was cancelled', cause);
  if (e instanceof APIConnectionTimeoutError) {
    return new ModelError('model_timeout', `The model (${model}) did not answer in time; try again`, cause);
  }
  if (e instanceof APIConnectionError) {
    return new ModelError(
      'model_connection',
      `Could not connect to the model endpoint for ${model}: check OPENAI_BASE_URL and that the server is running`,
      cause,
    );
  }
  if (e instanceof RateLimitError) {
    return new ModelError('model_rate_limited', `The model provider is rate limiting requests (429); wait a moment and retry`, cause);
  }
  if (e instanceof AuthenticationError || e instanceof PermissionDeniedError) {
    return new ModelError(
      'model_auth',
      `The model provider refused the credentials (${(e as APIError).status}); check OPENAI_API_KEY`,
      cause,
    );
  }
  if (e instanceof NotFoundError) return new ModelError('model_error', `The model "${model}" was not found at the endpoint`, cause);
  if (e instanceof InternalServerError) {
    return new ModelError('model_unavailable', `The model provider had a server error (${e.status}); retry later`, cause);
  }
  if (e instanceof APIError)
    return new ModelError('model_error', `The model request failed (${e.status ?? 'no status'}): ${e.message}`, cause);
  return new ModelError('model_error', `The model request failed: ${(e as Error)?.message ?? String(e)}`, cause);
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
