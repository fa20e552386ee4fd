import { randomUUID } from 'node:crypto';
import { context, defaultTextMapSetter, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import type { ClaimRequest } from '../db/areas/sessions.js';
import { requestScope } from './context.js';
import { traceContext } from './tracing.js';

/** The request a turn runs for, as its claim keeps it: its request id, and its span as a W3C traceparent (with tracing on). */
export function currentRequest(): ClaimRequest {
  const carrier: Record<string, string> = {};
  traceContext.inject(context.active(), carrier, defaultTextMapSetter);
  return { id: requestScope.getStore()?.reqId, traceParent: carrier.traceparent };
}

/**
 * Runs the completion of a turn another process left half done as part of the request it was
 * for: every log line carries that request's id, and with tracing on its work is a span
 * (`turn recovered`) in that request's trace, under the request's span. A turn claimed before
 * request ids were kept gets a new id.
 */
export function asPartOf<T>(request: ClaimRequest, tracer: Tracer | undefined, sessionId: string, run: () => Promise<T>): Promise<T> {
  const inScope = () => requestScope.run({ reqId: request.id ?? randomUUID() }, run);
  if (!tracer) return inScope();
  const parent = request.traceParent ? parseTraceParent(request.traceParent) : null;
  const within = parent ? trace.setSpanContext(context.active(), parent) : context.active();
  return tracer.startActiveSpan(
    'turn recovered',
    { kind: SpanKind.INTERNAL, attributes: { 'mockloop.session.id': sessionId } },
    within,
    async (span) => {
      try {
        return await inScope();
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}
