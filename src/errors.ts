/**
 * The one error type of the app. Handlers throw it; `app.onError` maps it once to
 * `{ error: { code, message } }`. The original error is kept as `cause` for logs and is never
 * sent to clients.
 */
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'invalid_bank'
  | 'invalid_rubric'
  | 'invalid_config'
  | 'model_refused'
  | 'model_truncated'
  | 'model_invalid_output'
  | 'model_rate_limited'
  | 'model_unavailable'
  | 'model_timeout'
  | 'model_connection'
  | 'model_auth'
  | 'model_error'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  invalid_bank: 400,
  invalid_rubric: 500,
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
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
