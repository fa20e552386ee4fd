import { AppError } from '../errors.js';

/**
 * A database failure a client should simply repeat, as the one error type: SQLite locked by another
 * program is `database_busy`; a database that is stopped, restarting, unreachable, out of disk or
 * read-only is `database_unavailable`. Both are 503 with Retry-After, never a 500. Anything else
 * (a bug, a constraint) is not ours to name here: undefined.
 */
export function databaseError(e: unknown): AppError | undefined {
  for (let cause = e, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    const c = typeof code === 'string' ? code : '';
    const m = typeof message === 'string' ? message : '';
    if (/^SQLITE_(BUSY|LOCKED)/.test(c)) {
      return new AppError('database_busy', 'The database is locked by another program (a backup or an import?): try again in a moment', {
        cause: e,
      });
    }
    if (
      /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(c) ||
      UNAVAILABLE_CODES.has(c) ||
      /^08/.test(c) ||
      UNAVAILABLE_MESSAGE.test(m)
    ) {
      return new AppError('database_unavailable', `The database is not available right now (${describe(c, m)}): try again in a moment`, {
        cause: e,
      });
    }
  }
  return undefined;
}

/**
 * Node's connection errors and PostgreSQL's: admin shutdown and cannot-connect-now (a restart),
 * insufficient resources and disk full, a read-only transaction (a replica promoted away).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENOSPC',
  '57P01',
  '57P02',
  '57P03',
  '53000',
  '53100',
  '53200',
  '53300',
  '25006',
]);
/** What node-postgres says when the server goes away mid-query or a pool cannot connect in time. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|database or disk is full/i;

function describe(code: string, message: string): string {
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC' || /disk is full/i.test(message)) return 'the disk is full';
  if (/^SQLITE_READONLY|^25006$/.test(code)) return 'it refuses writes';
  if (code === '57P01' || code === '57P02' || /shutting down/i.test(message)) return 'it is shutting down';
  if (code === '57P03' || /starting up/i.test(message)) return 'it is starting up';
  return 'it did not answer';
}
