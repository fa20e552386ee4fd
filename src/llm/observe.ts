/**
 * What the server watches of a model call (logs, metrics, traces: src/observability/). It is
 * handed the prompt and the reply only so that a trace may carry them when the operator asks
 * (OTEL_CAPTURE_CONTENT); logs and metrics never take them.
 */
export interface ModelCallStart {
  /** `chat` for a completion, `transcription` for speech to text. */
  operation: 'chat' | 'transcription';
  model: string;
  stream: boolean;
  /** The messages sent (chat). */
  messages?: unknown;
}

export interface ModelCallEnd {
  inputTokens?: number;
  outputTokens?: number;
  finishReasons?: string[];
  /** The model that answered, as the reply names it (often a dated version of the one asked for). */
  responseModel?: string;
  /** The provider's id of the reply. */
  responseId?: string;
  /** The app's error code when the call failed. */
  error?: string;
  /** The reply's text (chat). */
  reply?: string;
}

export interface ModelCall {
  /** The first piece of a streamed reply arrived. */
  firstToken(): void;
  end(outcome: ModelCallEnd): void;
}

export interface ModelObserver {
  start(call: ModelCallStart): ModelCall;
  /** The SDK sent a request again (a 429, a 5xx, a dropped connection). */
  retry(model: string): void;
}

const ignored: ModelCall = { firstToken: () => {}, end: () => {} };

/** The observer of a model without one: watches nothing. */
export const unobserved: ModelObserver = { start: () => ignored, retry: () => {} };
