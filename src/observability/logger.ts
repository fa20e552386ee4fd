import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { requestScope } from './context.js';

export type { Logger };

/** Log levels LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields that would hold a secret if anything ever put them on a log line: headers, cookies,
 * tokens, answers and transcripts. The request line logs none of them (see request-log.ts); this
 * is the second lock.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-mockloop-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-mockloop-key"]',
  'token',
  'text',
  'answer',
  'transcript',
  'content',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where each JSON line goes (a test's list); else stdout. */
  write?: (line: string) => void;
  /** Human-readable lines (a terminal) instead of JSON. */
  pretty?: boolean;
}

/**
 * The server's one logger: JSON lines with the level's name, the time, and, inside a request,
 * its request id (`reqId`).
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => ({ ...requestScope.getStore() }),
  };
  if (options.write) return pino(settings, { write: options.write });
  if (options.pretty) return pino(settings, pretty({ colorize: true, sync: true }));
  return pino(settings);
}
