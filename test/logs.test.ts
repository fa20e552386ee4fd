import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { makeApp, sessionsOf } from './helpers/app.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { decide, say } from './helpers/replies.js';

const sse = { accept: 'text/event-stream' };
const ANSWER =
  'I led the migration of our billing service to a new queue. I measured the backlog, split the consumers by tenant and cut the p99 from 4 s to 300 ms.';

/** An app whose log lines are kept, parsed. */
function loggedApp(env: Record<string, string> = {}, spanProcessors?: SimpleSpanProcessor[]) {
  const lines: string[] = [];
  const app = makeApp({ ...MODEL_ENV, ...env }, { log: (line) => lines.push(line), spanProcessors });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...app, lines, parsed };
}

describe('request logs', () => {
  it('logs one line per request with its id, route pattern, status, user and duration, and returns the id', async () => {
    const app = loggedApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    const res = await app.request(`/api/sessions/${id}`);
    expect(res.status).toBe(200);
    const reqId = res.headers.get('x-request-id');
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    const line = app.parsed().find((l) => l.reqId === reqId && l.msg === 'request');
    expect(line).toMatchObject({
      level: 'info',
      route: '/api/sessions/:id',
      res: { status: 200 },
      req: { method: 'GET', path: `/api/sessions/${id}` },
      user: 'local',
      responseTime: expect.any(Number),
    });
  });

  it('labels a request a middleware refused with the route that would have answered it, and an unknown one without its path', async () => {
    const refused = async (app: ReturnType<typeof loggedApp>, path: string, init: RequestInit, status: number) => {
      const res = await app.request(path, init);
      expect(res.status).toBe(status);
      return app.parsed().find((l) => l.reqId === res.headers.get('x-request-id') && l.msg === 'request')?.route;
    };
    const json = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answer: 'x' }) };
    const withAccounts = loggedApp({ AUTH: 'token' });
    expect(await refused(withAccounts, '/api/sessions/s-1/answer', json, 401)).toBe('/api/sessions/:id/answer');
    // It also matches /api/sessions/:id, registered after it.
    expect(await refused(withAccounts, '/api/sessions/defaults', {}, 401)).toBe('/api/sessions/defaults');
    expect(await refused(withAccounts, '/api/no-such-thing/s-1', {}, 401)).toBe('/api/*');
    const local = loggedApp();
    const text = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'an answer' };
    expect(await refused(local, '/api/sessions/s-1/answer', text, 415)).toBe('/api/sessions/:id/answer');
    expect(await refused(local, '/api/no-such-thing/s-1', {}, 404)).not.toContain('s-1');
  });

  it("puts the request's id on every line of its turn: the turn, its model calls and the request line", async () => {
    const app = loggedApp();
    for (const headers of [{}, sse]) {
      const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
      const before = app.lines.length;
      mock.reply(decide('followup', 'depth'), say('What ', 'failed first?'));
      const res = await sessionsOf(app).answer(id, ANSWER, { headers });
      expect(res.status).toBe(200);
      await res.text();
      const reqId = res.headers.get('x-request-id');
      expect(reqId).toBeTruthy();
      const lines = app.parsed().slice(before);
      expect(lines.map((l) => l.event ?? l.msg)).toEqual(expect.arrayContaining(['request', 'turn', 'model_call']));
      expect(lines.filter((l) => l.event === 'model_call')).toHaveLength(2);
      for (const line of lines) expect(line.reqId, JSON.stringify(line)).toBe(reqId);
    }
  });

  it('takes the request id from X-Request-Id only when a trusted proxy sends it', async () => {
    const app = loggedApp({ AUTH: 'proxy', TRUSTED_PROXIES: '10.0.0.7' });
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    const ask = (address: string) =>
      app.app.request('/api/health', { headers: { host: 'localhost', 'x-request-id': 'proxy-chosen-42' } }, from(address));
    expect((await ask('10.0.0.7')).headers.get('x-request-id')).toBe('proxy-chosen-42');
    const direct = (await ask('10.0.0.8')).headers.get('x-request-id');
    expect(direct).not.toBe('proxy-chosen-42');
    expect(direct).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.parsed().filter((l) => l.reqId === 'proxy-chosen-42')).toHaveLength(1);
  });

  it('logs failures as errors with the request id', async () => {
    const app = loggedApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'status', status: 503 });
    const res = await sessionsOf(app).answer(id, ANSWER);
    expect(res.status).toBeGreaterThanOrEqual(500);
    const reqId = res.headers.get('x-request-id');
    const failed = app.parsed().find((l) => l.event === 'turn_failed');
    expect(failed).toMatchObject({ level: 'error', reqId, code: 'model_unavailable' });
    expect(app.parsed().find((l) => l.event === 'model_call' && l.reqId === reqId)).toMatchObject({ error: 'model_unavailable' });
  });

  it('puts the trace and span ids on every line written in a traced request, and none without tracing', async () => {
    const exporter = new InMemorySpanExporter();
    const app = loggedApp({}, [new SimpleSpanProcessor(exporter)]);
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    const before = app.lines.length;
    mock.reply(decide('followup', 'depth'), say('What ', 'failed first?'));
    const res = await sessionsOf(app).answer(id, ANSWER);
    expect(res.status).toBe(200);
    const request = exporter.getFinishedSpans().find((s) => s.name === 'POST /api/sessions/:id/answer')!;
    const spanIds = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().spanId));
    const lines = app.parsed().slice(before);
    expect(lines.map((l) => l.event ?? l.msg)).toEqual(expect.arrayContaining(['request', 'turn', 'model_call']));
    for (const line of lines) {
      expect(line.trace_id, JSON.stringify(line)).toBe(request.spanContext().traceId);
      expect(spanIds.has(line.span_id as string), JSON.stringify(line)).toBe(true);
    }
    expect(lines.find((l) => l.msg === 'request')?.span_id).toBe(request.spanContext().spanId);
    // A model call's line leads to the call's own span.
    const modelSpans = exporter.getFinishedSpans().filter((s) => s.name === 'chat gpt-test');
    for (const line of lines.filter((l) => l.event === 'model_call')) {
      expect(modelSpans.map((s) => s.spanContext().spanId)).toContain(line.span_id);
    }

    const untraced = loggedApp();
    expect((await untraced.request('/api/health')).status).toBe(200);
    expect(untraced.parsed().length).toBeGreaterThan(0);
    for (const line of untraced.parsed()) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('span_id');
    }
  });
});
