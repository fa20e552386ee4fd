import type { ModelObserver } from '../llm/observe.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * A line per model call (chat or transcription): provider, model, duration, time to first
 * token, tokens, finish reasons or the error's code, and the same counted in the metrics. Never
 * the prompt, the reply or a transcript.
 */
export function modelObserver(deps: { logger: Logger; provider: string; metrics?: Metrics }): ModelObserver {
  const { logger, provider, metrics } = deps;
  return {
    start(call) {
      const began = performance.now();
      let firstTokenMs: number | undefined;
      return {
        firstToken() {
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
          if (outcome.error) logger.warn(fields, `${fields.event} failed`);
          else logger.info(fields, fields.event);
          if (metrics) count(metrics, { provider, model: call.model, operation: call.operation }, fields, outcome.error);
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
