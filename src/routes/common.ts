import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../types.js';
import { AppError } from '../errors.js';
import { wholeNumber } from '../validation.js';

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi('Error');

export const errorResponse = (description: string) => ({
  content: { 'application/json': { schema: ErrorBody } },
  description,
});

const ERROR_DESCRIPTIONS = {
  400: 'Invalid input: the message names the parameter or field',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The request body is too large',
  415: 'The request body is not JSON',
  422: 'The request cannot be processed as sent',
  500: 'Internal error',
  502: 'The model failed',
  503: 'The model provider is rate limiting or unavailable; retry later',
  504: 'The model did not answer within the time limit',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The error responses a route declares, each with the one error schema; a description may be given per status. */
export function errors<S extends ErrorStatus>(...statuses: Array<S | [S, string]>) {
  return Object.fromEntries(
    statuses.map((s) => (Array.isArray(s) ? [s[0], errorResponse(s[1])] : [s, errorResponse(ERROR_DESCRIPTIONS[s])])),
  ) as Record<S, ReturnType<typeof errorResponse>>;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** `limit` (1–100, default 20) and `offset` query parameters of every list. */
export const Pagination = z.object({
  limit: wholeNumber(1, 100, { coerce: true }).default(20),
  offset: wholeNumber(0, Infinity, { coerce: true }).default(0),
});

const WHERE: Record<string, string> = {
  query: 'query parameter',
  param: 'path parameter',
  json: 'body field',
  form: 'form field',
  header: 'header',
};

/** A router whose validation failures become one clear 400 naming the parameter. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const where = WHERE[result.target] ?? result.target;
      if (issue?.code === 'unrecognized_keys') {
        const names = issue.keys.map((k) => [...issue.path, k].join('.'));
        const message = `Unknown ${where}${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}`;
        throw new AppError('bad_request', message, { cause: result.error });
      }
      const name = issue?.path.length ? issue.path.join('.') : undefined;
      const message =
        result.target === 'json' && !name
          ? `Invalid JSON body: ${issue?.message ?? 'expected an object'}`
          : `Invalid ${where}${name ? ` "${name}"` : ''}: ${issue?.message ?? 'invalid value'}`;
      throw new AppError('bad_request', message, { cause: result.error });
    },
  });
}
