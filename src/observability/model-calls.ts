import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { ModelObserver } from '../llm/observe.js';
import { inputMessages, outputMessages } from './genai-messages.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * A line per model call (chat or transcription): provider, model, duration, time to first
 * token, tokens, finish reasons or the error's code, and the same counted in the metrics; with
 * traces, a client span (a child of the request's) named and described by the OpenTelemetry
 * GenAI conventions. Never the prompt, the reply or a transcript, but on the span when the
 * operator asks for them (OTEL_CAPTURE_CONTENT).
 */
export function modelObserver(deps: {
  logger: Logger;
  provider: string;
  metrics?: Metrics;
  tracer?: Tracer;
  captureContent?: boolean;
}): ModelObserver {
  const { logger, provider, metrics, tracer } = deps;
  return {
    start(call) {
      const began = performance.now();
      const span = tracer?.startSpan(`${call.operation} ${call.model}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'gen_ai.operation.name': call.operation, 'gen_ai.provider.name': provider, 'gen_ai.request.model': call.model },
      });
      if (span && deps.captureContent && call.messages)
        span.setAttribute('gen_ai.input.messages', JSON.stringify(inputMessages(call.messages)));
      let firstTokenMs: number | undefined;
      return {
        firstToken() {
          if (firstTokenMs === undefined) span?.addEvent('gen_ai.first_token');
          firstTokenMs ??= Math.round(performance.now() - began);
        },
        end(outcome) {
          const fields = {
            event: call.operation === 'transcription' ? 'transcription' : 'model_call',
            provider,
            model: call.model,
            stream: call.stream,
            durationMs: Math.round(performance.now() - began),
            firstTokenMs,
            inputTokens: outcome.inputTokens,
            outputTokens: outcome.outputTokens,
            finishReasons: outcome.finishReasons,
            error: outcome.error,
          };
          const log = () => (outcome.error ? logger.warn(fields, `${fields.event} failed`) : logger.info(fields, fields.event));
          // Written in the call's own span, so the line leads to it rather than to the request's.
          if (span) context.with(trace.setSpan(context.active(), span), log);
          else log();
          if (metrics) count(metrics, { provider, model: call.model, operation: call.operation }, fields, outcome.error);
          if (span) {
            if (outcome.inputTokens !== undefined) span.setAttribute('gen_ai.usage.input_tokens', outcome.inputTokens);
            if (outcome.outputTokens !== undefined) span.setAttribute('gen_ai.usage.output_tokens', outcome.outputTokens);
            if (outcome.finishReasons) span.setAttribute('gen_ai.response.finish_reasons', outcome.finishReasons);
            if (outcome.responseModel) span.setAttribute('gen_ai.response.model', outcome.responseModel);
            if (outcome.responseId) span.setAttribute('gen_ai.response.id', outcome.responseId);
            if (deps.captureContent && outcome.reply !== undefined) {
              span.setAttribute('gen_ai.output.messages', JSON.stringify(outputMessages(outcome.reply, outcome.finishReasons)));
            }
            if (outcome.error) {
              span.setAttribute('error.type', outcome.error);
              span.setStatus({ code: SpanStatusCode.ERROR });
            }
            span.end();
          }
        },
      };
    },
    retry(model) {
      logger.warn({ event: 'model_retry', provider, model }, 'model call retried');
      metrics?.modelRetries.inc({ provider, model });
    },
  };
}

function count(
  metrics: Metrics,
  call: { provider: string; model: string; operation: string },
  took: { durationMs: number; firstTokenMs?: number; inputTokens?: number; outputTokens?: number },
  error: string | undefined,
) {
  const { provider, model } = call;
  const outcome = error ?? 'ok';
  metrics.modelCallDuration.observe({ ...call, outcome }, took.durationMs / 1000);
  if (call.operation === 'transcription') metrics.transcriptionDuration.observe({ model, outcome }, took.durationMs / 1000);
  if (took.firstTokenMs !== undefined) metrics.timeToFirstToken.observe({ provider, model }, took.firstTokenMs / 1000);
  if (took.inputTokens) metrics.tokens.inc({ provider, model, type: 'input' }, took.inputTokens);
  if (took.outputTokens) metrics.tokens.inc({ provider, model, type: 'output' }, took.outputTokens);
  if (error) metrics.modelErrors.inc({ provider, model, code: error });
}
