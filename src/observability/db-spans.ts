import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/**
 * Runs one database transaction as a client span (a child of the request's, or of the turn's
 * work), named `transaction` and described by the OpenTelemetry database conventions: the
 * database system and namespace, and the error's type when it failed. Never a statement's values.
 */
export function transactionSpan<T>(
  tracer: Tracer | undefined,
  db: { system: 'sqlite' | 'postgresql'; namespace: string },
  run: () => Promise<T>,
): Promise<T> {
  if (!tracer) return run();
  return tracer.startActiveSpan(
    'transaction',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': db.system, 'db.namespace': db.namespace, 'db.operation.name': 'transaction' },
    },
    async (span) => {
      try {
        return await run();
      } catch (e) {
        span.setAttribute('error.type', (e as { code?: string }).code ?? (e as Error).name ?? 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}
