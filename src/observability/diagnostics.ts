import { context, diag, type DiagLogger, DiagLogLevel, ROOT_CONTEXT } from '@opentelemetry/api';
import { requestScope } from './context.js';
import type { Logger } from './logger.js';

/** A diagnostic seen again within this long is counted, not logged again. */
const REPEAT_MS = 60_000;
/** At most this many lines per minute in all, however many different diagnostics there are. */
const LINES_PER_MINUTE = 10;

let target: Logger | undefined;
let registered = false;

/**
 * OpenTelemetry's own warnings and errors (diag), on the server's log: above all a collector that
 * cannot be reached, whose spans would otherwise be dropped without a word. diag is the process's
 * one global logger, so it is set once; it writes to the logger of the tracing started last (a
 * server has one; a test process many, one after the other). A collector that stays away fails
 * every few seconds: the same diagnostic is logged at most once a minute with how often it recurred
 * meanwhile (`repeats`), and no more than LINES_PER_MINUTE lines go out in a minute in all.
 */
export function logDiagnostics(logger: Logger): void {
  target = logger;
  if (registered) return;
  registered = true;
  diag.setLogger(rateLimited(), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

function rateLimited(): DiagLogger {
  const seen = new Map<string, { at: number; repeats: number }>();
  let minute = { start: -Infinity, lines: 0 };
  const write =
    (level: 'warn' | 'error') =>
    (message: string, ...args: unknown[]) => {
      const text = describe(message, args);
      const t = Date.now();
      const last = seen.get(text);
      if (last && t - last.at < REPEAT_MS) {
        last.repeats++;
        return;
      }
      if (t - minute.start >= REPEAT_MS) minute = { start: t, lines: 0 };
      if (minute.lines >= LINES_PER_MINUTE) return;
      minute.lines++;
      // Old entries go, so that diagnostics that never recur do not pile up.
      if (seen.size >= 100) for (const [key, entry] of seen) if (t - entry.at >= REPEAT_MS) seen.delete(key);
      seen.set(text, { at: t, repeats: 0 });
      // Outside any span and any request: an export runs in the context of whichever request's span
      // ended last, not of its cause, so neither its trace nor its request id belongs on the line.
      requestScope.exit(() =>
        context.with(ROOT_CONTEXT, () =>
          target?.[level]({ event: 'otel_diagnostic', repeats: last?.repeats || undefined }, `OpenTelemetry: ${text}`),
        ),
      );
    };
  const ignore = () => {};
  return { error: write('error'), warn: write('warn'), info: ignore, debug: ignore, verbose: ignore };
}

/**
 * One line of text. An export failure reaches diag as its error flattened to JSON, stack included
 * (the SDK's default error handler): its message and code are what the operator needs, and what
 * recurs unchanged.
 */
function describe(message: string, args: unknown[]): string {
  const said = [message, ...args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a)))].join(' ');
  try {
    const error = JSON.parse(said) as { message?: unknown; code?: unknown };
    if (typeof error.message === 'string') {
      return typeof error.code === 'string' && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message;
    }
  } catch {
    // Plain text, as most diagnostics are.
  }
  return said.slice(0, 1000);
}
