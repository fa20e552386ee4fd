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
import { type ModelObserver, unobserved } from './observe.js';
import { modelFetch } from './transport.js';

export type Message = ChatCompletionMessageParam;

/** An OpenAI client for any OpenAI-compatible endpoint (the chat model's, or an audio server's). */
export function createOpenAI(
  config: Pick<Config['openai'], 'apiKey' | 'baseURL' | 'timeoutMs' | 'maxRetries'> & { model?: string },
  observer: ModelObserver = unobserved,
) {
  return new OpenAI({
    apiKey: config.apiKey ?? 'not-needed',
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    // The SDK retries 408/409/429/5xx and connection errors with backoff.
    maxRetries: config.maxRetries,
    // Over Node's http modules, lighter than the global fetch per open stream (see transport.ts).
    // The SDK numbers its attempts: one past the first is a retry.
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      if (Number(new Headers(init?.headers).get('x-stainless-retry-count') ?? 0) > 0) observer.retry(config.model ?? 'unknown');
      return modelFetch(input, init);
    },
  });
}

/** True when an abort came from a turn's deadline (AbortSignal.timeout), not from a client going away. */
const isDeadline = (signal: AbortSignal | undefined) =>
  signal?.aborted === true && (signal.reason as Error | undefined)?.name === 'TimeoutError';

/** An error and its causes, outermost first (the SDK wraps what the transport rejected with). */
function* causes(e: unknown): Generator<{ code?: string; message?: string }> {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) yield x as object;
}

/** True when the endpoint answered with a redirect (not followed: see transport.ts). */
const isRedirect = (e: unknown) => [...causes(e)].some((x) => /unexpected redirect/i.test(x.message ?? ''));

/** Node's codes for a dropped or refused connection, a reset socket, a reply cut short. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** Network failures below HTTP, wherever in the chain of causes Node's error sits. */
const isConnectionFailure = (e: unknown) => [...causes(e)].some((x) => x.code !== undefined && CONNECTION_CODES.has(x.code));

/** Maps an OpenAI SDK error, by class, to the app's one error type with a plain message. */
export function mapModelError(e: unknown, model: string, signal?: AbortSignal): ModelError {
  if (e instanceof ModelError) return e;
  const cause = { cause: e };
  if (isDeadline(signal)) {
    return new ModelError(
      'model_timeout',
      `The model (${model}) did not finish within the turn's time limit (OPENAI_TIMEOUT_MS); try again`,
      cause,
    );
  }
  if (e instanceof APIUserAbortError) return new ModelError('model_error', 'The model request was cancelled', cause);
  if (e instanceof APIConnectionTimeoutError) {
    return new ModelError('model_timeout', `The model (${model}) did not answer in time; try again`, cause);
  }
  if (isRedirect(e)) {
    return new ModelError(
      'model_connection',
      `The model endpoint for ${model} answered with a redirect: set OPENAI_BASE_URL to the address it redirects to`,
      { ...cause, retryable: false },
    );
  }
  if (e instanceof APIConnectionError || (!(e instanceof APIError) && isConnectionFailure(e))) {
    return new ModelError(
      'model_connection',
      `Could not reach the model endpoint for ${model}, or the connection dropped: check OPENAI_BASE_URL and that the server is running`,
      cause,
    );
  }
  const upstream = { ...cause, upstreamStatus: (e as APIError).status };
  if (e instanceof RateLimitError) {
    return new ModelError('model_rate_limited', `The model provider is rate limiting requests (429); wait a moment and retry`, upstream);
  }
  if (e instanceof AuthenticationError || e instanceof PermissionDeniedError) {
    return new ModelError('model_auth', `The model provider refused the credentials (${e.status}); check OPENAI_API_KEY`, upstream);
  }
  if (e instanceof NotFoundError) {
    return new ModelError('model_error', `The model "${model}" was not found at the endpoint: check MODEL`, {
      ...upstream,
      retryable: false,
    });
  }
  if (e instanceof InternalServerError) {
    return new ModelError('model_unavailable', `The model provider had a server error (${e.status}); retry later`, upstream);
  }
  if (e instanceof APIError && e.status === undefined) return midReply(e, cause);
  if (e instanceof APIError) return new ModelError('model_error', `The model request failed (${e.status})`, upstream);
  return new ModelError('model_error', 'The model request failed', cause);
}

/**
 * An error the provider sent in the middle of a streamed reply (`data: {"error": {…}}`), after the
 * 200 went out: its status (when the body carries one) and its own words are kept, so the candidate
 * reads "overloaded (529)", not "no status". A 5xx, an overload or a rate limit may pass: retryable.
 */
function midReply(e: APIError, cause: { cause: unknown }): ModelError {
  const body = (e.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown; status?: unknown };
  const status = Number(body.status ?? body.code) || undefined;
  const said = typeof body.message === 'string' && body.message ? body.message : e.message;
  const kind = typeof body.type === 'string' ? body.type : undefined;
  const passing = status === undefined || status >= 500 || status === 429 || /overload|server_error|rate_limit/i.test(kind ?? '');
  return new ModelError(
    passing ? 'model_unavailable' : 'model_error',
    `The model provider stopped its reply with an error (${[status, kind].filter(Boolean).join(', ') || 'no status'}): ${said}`,
    { ...cause, upstreamStatus: status, retryable: passing },
  );
}

/** A configured model: the client, the model name, and how it does structured output. */
export interface Model {
  client: OpenAI;
  model: string;
  responseFormat: 'json_schema' | 'json_object';
  /** Who watches its calls (logs, metrics, traces); none when absent. */
  observer?: ModelObserver;
}

export function createModel(config: Config['openai'], observer: ModelObserver = unobserved): Model {
  return { client: createOpenAI(config, observer), model: config.model, responseFormat: config.responseFormat, observer };
}
