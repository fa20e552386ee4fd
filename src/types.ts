import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Accounts, User } from './accounts/accounts.js';
import type { Bank } from './bank/bank.js';
import type { Config } from './config.js';
import type { Store } from './db/store.js';
import type { Rubric } from './grading/rubrics.js';
import type { Grader } from './grading/types.js';
import type { InterviewLoop } from './interview/loop.js';
import type { CodingRound } from './interview/coding-round.js';
import type { Sandbox } from './coding/types.js';
import type { Model } from './llm/client.js';
import type { ModelProbe } from './llm/probe.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Tracing } from './observability/tracing.js';
import type { Recordings } from './voice/recordings.js';
import type { Speaker } from './voice/speech.js';

/** Everything the app needs, built by the caller (start.ts or a test): no globals, no side effects. */
export interface Deps {
  config: Config;
  store: Store;
  bank: Bank;
  rubrics: Map<string, Rubric>;
  grader: Grader;
  loop: InterviewLoop;
  /** The coding round: runs of the candidate's code against a problem's tests. */
  coding: CodingRound;
  /** Where the candidate's code runs (worker processes, started on first use; closed on shutdown). */
  sandbox: Sandbox;
  /** The model, when the provider is openai. */
  llm?: Model;
  /** Whether the model endpoint answers (readiness), when the provider is openai. */
  modelProbe?: ModelProbe;
  accounts: Accounts;
  /** Spoken answers: transcription, discarding, kept audio. */
  recordings: Recordings;
  /** The interviewer's server voice, when SPEECH_MODEL is set. */
  speaker?: Speaker;
  /** The server log (pino): inside a request, every line carries its request id. */
  logger: Logger;
  /** Prometheus metrics, when METRICS=on. */
  metrics?: Metrics;
  /** Traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set (or span processors were handed to start()). */
  tracing?: Tracing;
  /** The clock (a test moves its own). */
  now: () => Date;
}

/** Who is calling, and how they proved it. */
export interface Caller {
  user: User;
  via: 'local' | 'token' | 'cookie' | 'proxy';
}

/** `requestId`: the request's id (X-Request-Id), on its log lines and its response. */
export type AppEnv = { Variables: { deps: Deps; caller: Caller; requestId: string } };

/** A handler typed from its route: a body or status the route does not declare fails to compile. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
