import { isSpanContextValid, trace } from '@opentelemetry/api';
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
 * its request id (`reqId`) and, when traced, the ids of the span it was written in (`trace_id`,
 * `span_id`): a line leads to its trace.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => ({ ...requestScope.getStore(), ...traceIds() }),
  };
  if (options.write) return pino(settings, { write: options.write });
  if (options.pretty) return pino(settings, pretty({ colorize: true, sync: true }));
  return pino(settings);
}

/** The active span's ids, as OpenTelemetry names them in logs; none outside a span (no tracing, or no request). */
function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}
