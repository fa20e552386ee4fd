import type { ModelObserver } from '../llm/observe.js';
import type { Logger } from './logger.js';

/**
 * A line per model call (chat or transcription): provider, model, duration, time to first
 * token, tokens, finish reasons or the error's code. Never the prompt, the reply or a transcript.
 */
export function modelObserver(deps: { logger: Logger; provider: string }): ModelObserver {
  const { logger, provider } = deps;
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
        },
      };
    },
    retry(model) {
      logger.warn({ event: 'model_retry', provider, model }, 'model call retried');
    },
  };
}
