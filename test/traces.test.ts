import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { makeApp, sessionsOf } from './helpers/app.js';
import { completion, mock, MODEL_ENV, until } from './helpers/openai-mock.js';
import { parsePrometheus, total } from './helpers/prometheus.js';
import { decide, say } from './helpers/replies.js';

const ANSWER =
  'I led the migration of our billing service to a new queue. I measured the backlog, split the consumers by tenant and cut the p99 from 4 s to 300 ms.';

/** An app whose spans go to an in-memory exporter, and one answer turn through it (streamed or not). */
async function tracedTurn(env: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const exporter = new InMemorySpanExporter();
  const app = makeApp({ ...MODEL_ENV, ...env }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const sessions = sessionsOf(app);
  const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
  mock.reply(decide('followup', 'depth'), say('What ', 'failed first?'));
  const res = await sessions.answer(id, ANSWER, { headers });
  expect(res.status).toBe(200);
  await res.text();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'POST /api/sessions/:id/answer');
  const model = spans.filter((s) => s.name === 'chat gpt-test');
  return { spans, request, model };
}

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** An app whose spans, log lines and metrics are kept: one model call seen from all three sides. */
function observedApp() {
  const exporter = new InMemorySpanExporter();
  const lines: string[] = [];
  const app = makeApp({ ...MODEL_ENV, METRICS: 'on' }, { log: (l) => lines.push(l), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return {
    ...app,
    modelLines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'model_call'),
    modelSpans: () => exporter.getFinishedSpans().filter((s) => s.name === 'chat gpt-test'),
    scrape: async () => parsePrometheus(await (await app.request('/metrics')).text()),
  };
}
const GPT = { provider: 'openai', model: 'gpt-test' };

describe('traces', () => {
  it('are off by default, and on with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(makeApp().deps.tracing).toBeUndefined();
    expect(loadConfig({}).tracing).toEqual({ endpoint: undefined, captureContent: false });
    const traced = makeApp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).deps.tracing;
    expect(traced).toBeDefined();
    void traced!.shutdown();
  });

  for (const [how, headers] of [
    ['a JSON answer', {}],
    ['a streamed answer', { accept: 'text/event-stream' }],
  ] as const) {
    it(`makes ${how} a request span with each model call a child span carrying the GenAI attributes`, async () => {
      const { request, model } = await tracedTurn({}, headers);
      expect(request).toBeDefined();
      expect(request!.kind).toBe(SpanKind.SERVER);
      expect(request!.attributes).toMatchObject({ 'http.route': '/api/sessions/:id/answer', 'http.response.status_code': 200 });
      expect(model).toHaveLength(2);
      for (const span of model) {
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(parentOf(span)).toBe(request!.spanContext().spanId);
        expect(span.spanContext().traceId).toBe(request!.spanContext().traceId);
        expect(span.attributes).toMatchObject({
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-test',
          'gen_ai.usage.input_tokens': expect.any(Number),
          'gen_ai.usage.output_tokens': expect.any(Number),
          'gen_ai.response.finish_reasons': ['stop'],
        });
        expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
        expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
      }
      expect(model.find((s) => s.events.some((e) => e.name === 'gen_ai.first_token'))).toBeDefined();
    });
  }

  it('names the span of a request a middleware refused by the route that would have answered it', async () => {
    const exporter = new InMemorySpanExporter();
    const app = makeApp({ AUTH: 'token' }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answer: 'x' }) };
    expect((await app.request('/api/sessions/s-1/answer', post)).status).toBe(401);
    expect((await app.request('/api/no-such-thing/s-2')).status).toBe(401);
    const requests = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
    expect(requests.map((s) => s.name)).toEqual(['POST /api/sessions/:id/answer', 'GET /api/*']);
  });

  it("makes each database transaction of a turn a client span under the request's, with its database and no values", async () => {
    const { request, spans } = await tracedTurn();
    const inTurn = spans.filter((s) => s.name === 'transaction' && s.spanContext().traceId === request!.spanContext().traceId);
    // The turn's first transaction claims the session and stores the answer; the follow-up is stored in another.
    expect(inTurn.length).toBeGreaterThanOrEqual(1);
    for (const span of spans.filter((s) => s.name === 'transaction')) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toMatchObject({
        'db.system.name': expect.stringMatching(/^(sqlite|postgresql)$/),
        'db.operation.name': 'transaction',
        'db.namespace': expect.any(String),
      });
      expect(JSON.stringify(span.attributes)).not.toContain('billing');
    }
    expect(inTurn.some((s) => parentOf(s) === request!.spanContext().spanId)).toBe(true);
  });

  it('keeps no query string on the request span: a query may carry a token', async () => {
    const exporter = new InMemorySpanExporter();
    const app = makeApp({}, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    expect((await app.request('/api/sessions?access_token=QSECRET123#frag')).status).toBe(200);
    const request = exporter.getFinishedSpans().find((s) => s.name === 'GET /api/sessions');
    expect(request?.attributes['url.full']).toBe('http://localhost/api/sessions');
    for (const span of exporter.getFinishedSpans())
      expect(JSON.stringify([span.name, span.attributes, span.events])).not.toContain('QSECRET');
  });

  it("continues the trace of a traceparent a trusted proxy sends, and starts its own for anyone else's", async () => {
    const exporter = new InMemorySpanExporter();
    const app = makeApp({ TRUSTED_PROXIES: '10.0.0.7' }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const from = (address: string) =>
      app.app.request(
        '/api/health',
        { headers: { host: 'localhost', traceparent: `00-${traceId}-${parentId}-01` } },
        { incoming: { socket: { remoteAddress: address } } },
      );
    expect((await from('10.0.0.7')).status).toBe(200);
    expect((await from('10.0.0.8')).status).toBe(200);
    const [proxied, direct] = exporter.getFinishedSpans().filter((s) => s.name === 'GET /api/health');
    expect(proxied!.spanContext().traceId).toBe(traceId);
    expect(parentOf(proxied!)).toBe(parentId);
    expect(direct!.spanContext().traceId).not.toBe(traceId);
    expect(parentOf(direct!)).toBeUndefined();
  });

  it('marks a failed model call with its error type', async () => {
    const exporter = new InMemorySpanExporter();
    const app = makeApp(MODEL_ENV, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'status', status: 503 });
    expect((await sessionsOf(app).answer(id, ANSWER)).status).toBeGreaterThanOrEqual(500);
    const failed = exporter.getFinishedSpans().find((s) => s.name === 'chat gpt-test');
    expect(failed?.attributes['error.type']).toBe('model_unavailable');
  });

  it('counts a streamed reply cut off by the length limit as a failed call, on the metric, the log line and the span', async () => {
    const app = observedApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply(decide('followup', 'depth'), { ...say('What ', 'failed'), finishReason: 'length' });
    const res = await sessionsOf(app).answer(id, ANSWER);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'model_truncated' } });
    const m = await app.scrape();
    expect(total(m, 'mockloop_model_call_duration_seconds_count', { ...GPT, outcome: 'ok' })).toBe(1);
    expect(total(m, 'mockloop_model_call_duration_seconds_count', { ...GPT, outcome: 'model_truncated' })).toBe(1);
    expect(total(m, 'mockloop_model_errors_total', { ...GPT, code: 'model_truncated' })).toBe(1);
    expect(app.modelLines().filter((l) => l.error)).toEqual([
      expect.objectContaining({ level: 'warn', error: 'model_truncated', finishReasons: ['length'] }),
    ]);
    const cut = app.modelSpans().find((s) => s.attributes['error.type']);
    expect(cut?.attributes).toMatchObject({ 'error.type': 'model_truncated', 'gen_ai.response.finish_reasons': ['length'] });
    expect(cut?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('counts a refused or filtered structured reply as a failed call with its code', async () => {
    const app = observedApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    for (const reply of [completion('', { refusal: 'I will not' }), completion('{}', { finishReason: 'content_filter' })]) {
      mock.reply(reply);
      expect((await sessionsOf(app).answer(id, ANSWER)).status).toBeGreaterThanOrEqual(500);
    }
    expect(mock.requests).toHaveLength(2);
    const m = await app.scrape();
    expect(total(m, 'mockloop_model_call_duration_seconds_count', { ...GPT, outcome: 'ok' })).toBe(0);
    expect(total(m, 'mockloop_model_errors_total', { ...GPT, code: 'model_refused' })).toBe(2);
    expect(app.modelSpans()).toHaveLength(2);
    expect(app.modelLines().every((l) => l.level === 'warn' && l.error === 'model_refused')).toBe(true);
    for (const span of app.modelSpans()) {
      expect(span.attributes['error.type']).toBe('model_refused');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    }
  });

  it('leaves the tokens of a stream that dropped unset, not 0, on the span, the log line and the counters', async () => {
    const app = observedApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply(decide('followup', 'depth'), { ...say('What ', 'failed ', 'first?'), dropAfter: 1 });
    expect((await sessionsOf(app).answer(id, ANSWER)).status).toBeGreaterThanOrEqual(500);
    const dropped = app.modelLines().find((l) => l.error);
    expect(dropped).toBeDefined();
    expect(dropped).not.toHaveProperty('inputTokens');
    expect(dropped).not.toHaveProperty('outputTokens');
    const span = app.modelSpans().find((s) => s.attributes['error.type']);
    expect(span?.attributes).not.toHaveProperty('gen_ai.usage.input_tokens');
    expect(span?.attributes).not.toHaveProperty('gen_ai.usage.output_tokens');
    // Only the decision's tokens (400 in, 20 out: helpers/replies.ts) were reported.
    const m = await app.scrape();
    expect(total(m, 'mockloop_model_tokens_total', { ...GPT, type: 'input' })).toBe(400);
    expect(total(m, 'mockloop_model_tokens_total', { ...GPT, type: 'output' })).toBe(20);
  });

  it('puts the prompt and the reply on model spans only with OTEL_CAPTURE_CONTENT=true, as the GenAI conventions shape them', async () => {
    const { model } = await tracedTurn({ OTEL_CAPTURE_CONTENT: 'true' });
    const streamed = model.find((s) => String(s.attributes['gen_ai.output.messages']).includes('failed first?'));
    expect(JSON.parse(String(streamed?.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'What failed first?' }], finish_reason: 'stop' },
    ]);
    const input = JSON.parse(String(model[0]!.attributes['gen_ai.input.messages'])) as unknown[];
    expect(input.length).toBeGreaterThan(1);
    for (const message of input) {
      expect(message).toEqual({
        role: expect.stringMatching(/^(system|user|assistant)$/),
        parts: [{ type: 'text', content: expect.any(String) }],
      });
    }
    expect(JSON.stringify(input)).toContain('billing service');
  });

  it("names the reply's own model and id on each model span, and the service's version on the resource", async () => {
    const exporter = new InMemorySpanExporter();
    const app = makeApp(MODEL_ENV, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply(completion(JSON.stringify({ action: 'followup', criterionId: 'depth', reason: 'test' }), { model: 'gpt-test-2025-06-01' }), {
      ...say('What ', 'failed first?'),
      model: 'gpt-test-2025-06-02',
    });
    await (await sessionsOf(app).answer(id, ANSWER)).text();
    const spans = exporter.getFinishedSpans().filter((s) => s.name === 'chat gpt-test');
    expect(spans.map((s) => s.attributes['gen_ai.response.model']).sort()).toEqual(['gpt-test-2025-06-01', 'gpt-test-2025-06-02']);
    for (const span of spans) expect(span.attributes['gen_ai.response.id']).toBe('chatcmpl-test');
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const span of exporter.getFinishedSpans()) expect(span.resource.attributes['service.version']).toBe(version);
  });
});

/** A local port nothing listens on: a connection to it is refused. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe("OpenTelemetry's own diagnostics", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('put a collector that refuses connections on the server log, once a minute however often an export fails', async () => {
    // OpenTelemetry's own settings: export each span at once, and give up on a failing collector soon.
    vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '10');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '200');
    const lines: string[] = [];
    const app = makeApp({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await refusedPort()}` }, { log: (l) => lines.push(l) });
    const diagnostics = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'otel_diagnostic');
    // A request whose work has spans of its own (a transaction), ended while the request runs.
    await sessionsOf(app).start({ questionIds: ['amazon-32'] });
    await until(() => diagnostics().length > 0, 10_000);
    expect(diagnostics()[0]).toMatchObject({
      level: expect.stringMatching(/^(warn|error)$/),
      msg: expect.stringMatching(/^OpenTelemetry: .*ECONNREFUSED/),
    });
    expect(diagnostics()[0]).not.toHaveProperty('trace_id');
    expect(diagnostics()[0]).not.toHaveProperty('reqId');
    // Each failing export a few seconds apart in a real server; here a few hundred milliseconds.
    for (let i = 0; i < 3; i++) {
      expect((await app.request('/api/health')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(diagnostics()).toHaveLength(1);
    // A minute later (only the date is faked, and it keeps running): the failure is logged again, with how often it recurred.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 61_000);
    expect((await app.request('/api/health')).status).toBe(200);
    await until(() => diagnostics().length > 1, 10_000);
    expect(diagnostics()).toHaveLength(2);
    expect(diagnostics()[1]!.repeats).toBeGreaterThanOrEqual(1);
    expect(diagnostics()[1]!.msg).toBe(diagnostics()[0]!.msg);
    await app.deps.tracing!.shutdown().catch(() => {});
  });
});
