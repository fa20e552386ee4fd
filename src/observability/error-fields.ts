import { ZodError } from 'zod';
import { AppError } from '../errors.js';

/** What a log line says of an error: never a message that could quote an answer, a reply or a key. */
export interface ErrorFields {
  type: string;
  /** A system error's code (ECONNRESET), PostgreSQL's SQLSTATE, a provider's error code. */
  code?: string;
  /** The HTTP status an upstream answered with. */
  status?: number;
  message?: string;
  /** Where a validation failed (path and kind), not the values it saw. */
  issues?: string[];
  /** Where in the code, for an error the code itself made. */
  stack?: string;
  cause?: ErrorFields;
}

/**
 * Errors the JavaScript engine raises about the program (a property read on undefined, a bad
 * length): their messages name the code's identifiers, not its data. A SyntaxError is not one of
 * them: JSON.parse quotes the text it could not read (a model's reply echoing an answer).
 */
const ENGINE_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError']);

/**
 * An error as the server log may show it: its type, code and status, our own messages (AppError)
 * and the engine's; never the message of an error from elsewhere. A provider's error quotes what
 * it was sent or a masked key ("Incorrect API key provided: sk-ab****"), a JSON parse error quotes
 * the text it read, a PostgreSQL error the value it refused: their codes say what happened.
 */
export function errorFields(e: unknown, depth = 0): ErrorFields {
  if (!(e instanceof Error)) return { type: e === null ? 'null' : typeof e };
  const fields: ErrorFields = { type: e.name };
  const { code, status } = e as { code?: unknown; status?: unknown };
  if (typeof code === 'string' || typeof code === 'number') fields.code = String(code).slice(0, 80);
  // An AppError's status is the one this server answers with, not an upstream's.
  if (typeof status === 'number' && !(e instanceof AppError)) fields.status = status;
  if (e instanceof AppError || ENGINE_ERRORS.has(e.name)) fields.message = e.message.slice(0, 300);
  if (e instanceof ZodError) fields.issues = e.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`);
  // The stack's frames, without its first line (the message again).
  if (ENGINE_ERRORS.has(e.name) && e.stack) fields.stack = e.stack.split('\n').slice(1, 11).join('\n');
  if (e.cause !== undefined && depth < 3) fields.cause = errorFields(e.cause, depth + 1);
  return fields;
}
