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
  401: 'Sign-in needed: no credential, or an unknown, revoked or expired one',
  403: 'A request that changes something came from another site, or a signed-in browser request was not JSON',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The request body is too large',
  415: 'The request body is not JSON',
  421: 'The server does not answer to this Host name (DNS rebinding protection)',
  422: 'The request cannot be processed as sent',
  429: 'Too many model requests for this user, or the monthly token budget is spent',
  500: 'Internal error',
  501: 'This server is not set up for it',
  502: 'The model failed',
  503: 'The model provider is rate limiting or unavailable; retry later',
  504: 'The model did not answer within the time limit',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/**
 * The error responses a route declares, each with the one error schema (a description may be
 * given per status). Every route can meet the Host check (421), and every route but the public
 * ones the sign-in check (401): both are added.
 */
export function errors<S extends ErrorStatus>(...statuses: Array<S | [S, string]>) {
  return publicErrors<S | 401 | 421>(401, ...statuses);
}

/** The error responses of a route anyone may call: the Host check (421) is added. */
export function publicErrors<S extends ErrorStatus>(...statuses: Array<S | [S, string]>) {
  const all: Array<S | 421 | [S | 421, string]> = [...statuses, 421];
  const entries = all.map((s) => (Array.isArray(s) ? [s[0], errorResponse(s[1])] : [s, errorResponse(ERROR_DESCRIPTIONS[s])]));
  return Object.fromEntries(entries.sort(([a], [b]) => Number(a) - Number(b))) as Record<S | 421, ReturnType<typeof errorResponse>>;
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
