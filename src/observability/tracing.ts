import { context, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { logDiagnostics } from './diagnostics.js';
import type { Logger } from './logger.js';

export type { SpanProcessor, Tracer };

/** The service's tracer, how it reads the trace a request continues, and how to flush what it has not yet exported (on shutdown). */
export interface Tracing {
  tracer: Tracer;
  /** W3C trace context (`traceparent`, `tracestate`): the app's own, as the provider is (see middleware/trace-context.ts). */
  propagator: TextMapPropagator;
  shutdown(): Promise<void>;
}

/** W3C trace context (`traceparent`, `tracestate`), read and written the same way everywhere in the app. */
export const traceContext: TextMapPropagator = new W3CTraceContextPropagator();

let contextManager: AsyncLocalStorageContextManager | undefined;

/**
 * Traces, when there is somewhere to send them: the OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT,
 * batched), or the span processors the caller hands in (start()'s `spanProcessors`). Without
 * either, nothing is traced. The tracer provider and the propagator are the app's own, not the
 * process's global ones; only the context manager, which carries the active span across awaits, and
 * OpenTelemetry's diagnostics (diagnostics.ts) are set once per process.
 */
export function createTracing(options: {
  endpoint?: string;
  processors?: SpanProcessor[];
  version: string;
  /** Where OpenTelemetry's own warnings go (an export that failed). */
  logger: Logger;
}): Tracing | undefined {
  const processors =
    options.processors ??
    (options.endpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }))] : []);
  if (!processors.length) return undefined;
  if (!contextManager) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
  }
  logDiagnostics(options.logger);
  const provider = new BasicTracerProvider({
    spanProcessors: [dropQueryStrings, ...processors],
    resource: resourceFromAttributes({ 'service.name': 'mockloop', 'service.version': options.version }),
  });
  return {
    tracer: provider.getTracer('mockloop', options.version),
    propagator: traceContext,
    shutdown: () => provider.shutdown(),
  };
}

/**
 * The request span's `url.full` without its query string or fragment, as the request log has no
 * query string: a query may carry a token (`?access_token=…`). @hono/otel records the whole URL
 * and has no option to change it, so the first processor rewrites it as the span starts, before
 * any exporter sees it.
 */
const dropQueryStrings: SpanProcessor = {
  onStart(span: Span) {
    const url = span.attributes['url.full'];
    if (typeof url === 'string' && /[?#]/.test(url)) span.setAttribute('url.full', url.replace(/[?#][\s\S]*$/, ''));
  },
  onEnd: () => {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
