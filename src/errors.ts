import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error family of the app, after openai-node's `core/error.ts`: a base class with a typed
 * HTTP status, and a subclass per kind of failure. Handlers, the CLI and start-up throw these;
 * `app.onError` maps them once to `{ error: { code, message } }`. The original error is kept as
 * `cause` for logs and is never sent to clients.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  misdirected_request: 421,
  idempotency_mismatch: 422,
  /** A recording in which the transcriber heard no words. */
  no_speech: 422,
  /** A file of an accepted type that cannot be read: damaged, encrypted, or without text. */
  unreadable_file: 422,
  rate_limited: 429,
  budget_exhausted: 429,
  invalid_bank: 400,
  invalid_rubric: 500,
  /** A coding problem file (src/coding/problems) is missing a field, or its tests contradict it. */
  invalid_coding_pack: 500,
  invalid_config: 500,
  model_refused: 502,
  model_truncated: 502,
  model_invalid_output: 502,
  model_rate_limited: 503,
  model_unavailable: 502,
  model_timeout: 504,
  model_connection: 502,
  model_auth: 502,
  model_error: 502,
  internal: 500,
  /** The server is shutting down: the request was not started; send it again (to another replica). */
  shutting_down: 503,
  /** Every code runner is busy and the queue of waiting runs is full. */
  sandbox_busy: 503,
  /** SQLite: another writer held the database for longer than the request could wait. */
  database_busy: 503,
  /** The database did not answer, or refused the write (stopped, restarting, disk full). */
  database_unavailable: 503,
  /** A feature this server is not set up for (no transcription or speech model). */
  not_configured: 501,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ModelErrorCode = Extract<ErrorCode, `model_${string}`>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  /** Seconds after which the same request may succeed: sent as Retry-After. */
  readonly retryAfter: number | undefined;
  /** Set once the error has been written to the server log, so it is logged exactly once. */
  logged = false;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfter?: number }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.retryAfter = options?.retryAfter ?? DEFAULT_RETRY_AFTER[code];
  }
}

/** Errors a client should simply repeat, and after how many seconds, when the thrower does not say. */
const DEFAULT_RETRY_AFTER: Partial<Record<ErrorCode, number>> = { database_busy: 1, database_unavailable: 5, shutting_down: 1 };

/** A setting in the environment is missing or invalid: start-up stops with this message. */
export class ConfigError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_config', message, options);
    this.name = 'ConfigError';
  }
}

/** A rubric file is missing, not YAML, or fails validation. */
export class RubricError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_rubric', message, options);
    this.name = 'RubricError';
  }
}

/** A coding problem file is not YAML or fails validation: start-up stops naming the file and the field. */
export class CodingPackError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_coding_pack', message, options);
    this.name = 'CodingPackError';
  }
}

/** A bank file or an imported guide is not usable. */
export class BankError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_bank', message, options);
    this.name = 'BankError';
  }
}

/** Model failures that running the same turn again cannot fix: a refusal, bad credentials, no such model. */
const NOT_RETRYABLE: ReadonlySet<ModelErrorCode> = new Set(['model_refused', 'model_auth']);

/** The model endpoint failed; `retryable` says whether the same turn can succeed when run again. */
export class ModelError extends AppError {
  declare readonly code: ModelErrorCode;
  readonly retryable: boolean;
  /** The upstream HTTP status, when the endpoint answered with one. */
  readonly upstreamStatus: number | undefined;
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean; upstreamStatus?: number }) {
    super(code, message, options);
    this.name = 'ModelError';
    this.retryable = options?.retryable ?? !NOT_RETRYABLE.has(code);
    this.upstreamStatus = options?.upstreamStatus;
  }
}

/** The command line was called wrongly: the CLI prints its usage and exits with 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'UsageError';
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
