import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds, from a few milliseconds (a page) to a long model turn. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The server's Prometheus metrics (GET /metrics with METRICS=on), in a registry of its own: two
 * apps in one process (tests) count apart. Labels are route patterns, actions, providers, models
 * and error codes: never a path with an id in it, a user, or anything a candidate wrote.
 */
export function createMetrics(options: { poolUse?: () => { total: number; idle: number; waiting: number } } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mockloop_' });
  const registers = [registry];
  const metrics = {
    registry,
    requests: new Counter({
      name: 'mockloop_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'mockloop_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (until the headers of a stream), by method and route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: SECONDS,
      registers,
    }),
    turnDuration: new Histogram({
      name: 'mockloop_turn_duration_seconds',
      help: 'Turns run, by kind (answer, retry, skip, finish) and outcome (done or an error code)',
      labelNames: ['kind', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    modelCallDuration: new Histogram({
      name: 'mockloop_model_call_duration_seconds',
      help: 'Model calls (chat and transcription), by provider, model, operation and outcome',
      labelNames: ['provider', 'model', 'operation', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'mockloop_model_time_to_first_token_seconds',
      help: 'Time from a streamed model call to its first piece of text',
      labelNames: ['provider', 'model'] as const,
      buckets: SECONDS,
      registers,
    }),
    tokens: new Counter({
      name: 'mockloop_model_tokens_total',
      help: 'Model tokens used, by provider, model and type (input, output)',
      labelNames: ['provider', 'model', 'type'] as const,
      registers,
    }),
    modelErrors: new Counter({
      name: 'mockloop_model_errors_total',
      help: 'Model calls that failed, by provider, model and error code',
      labelNames: ['provider', 'model', 'code'] as const,
      registers,
    }),
    modelRetries: new Counter({
      name: 'mockloop_model_retries_total',
      help: 'Model requests sent again (429, 5xx, dropped connections), by provider and model',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    transcriptionDuration: new Histogram({
      name: 'mockloop_transcription_duration_seconds',
      help: 'Recordings transcribed by the transcription server, by model and outcome',
      labelNames: ['model', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    openStreams: new Gauge({
      name: 'mockloop_event_streams_open',
      help: 'Event streams (turns answered as they are written) open now',
      registers,
    }),
    recoveries: new Counter({
      name: 'mockloop_turn_recoveries_total',
      help: 'Turns a crash, a kill or a shutdown left half done, completed by this process',
      registers,
    }),
  };
  const { poolUse } = options;
  if (poolUse) {
    new Gauge({
      name: 'mockloop_db_pool_connections',
      help: 'PostgreSQL connections of this process, by state (total, idle, waiting: requests waiting for one)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const use = poolUse();
        for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, use[state]);
      },
    });
  }
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
