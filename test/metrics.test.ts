import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { makeApp, onPostgres, sessionsOf, testDatabase } from './helpers/app.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { parsePrometheus, total } from './helpers/prometheus.js';
import { decide, gradeReply, say } from './helpers/replies.js';

const sse = { accept: 'text/event-stream' };
const ANSWER =
  'I led the migration of our billing service to a new queue. I measured the backlog, split the consumers by tenant and cut the p99 from 4 s to 300 ms.';
const METRICS_TOKEN = 'scraper-token-0123456789';

async function scrape(app: ReturnType<typeof makeApp>, headers: Record<string, string> = {}) {
  const res = await app.request('/metrics', { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

describe('GET /metrics', () => {
  it('is not served unless METRICS=on', async () => {
    expect((await makeApp().request('/metrics')).status).toBe(404);
    expect((await makeApp({ METRICS: 'off' }).request('/metrics')).status).toBe(404);
  });

  it('counts an offline session: requests by route pattern and status, turns by kind, no model calls', async () => {
    const app = makeApp({ METRICS: 'on' });
    const sessions = sessionsOf(app);
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    expect((await sessions.answer(id, ANSWER)).status).toBe(200);
    expect((await sessions.skip(id)).status).toBe(200);
    expect((await app.request('/api/sessions/no-such-session')).status).toBe(404);
    const m = await scrape(app);
    expect(total(m, 'mockloop_http_requests_total', { method: 'POST', route: '/api/sessions', status: '201' })).toBe(1);
    expect(total(m, 'mockloop_http_requests_total', { method: 'POST', route: '/api/sessions/:id/answer', status: '200' })).toBe(1);
    expect(total(m, 'mockloop_http_requests_total', { method: 'GET', route: '/api/sessions/:id', status: '404' })).toBe(1);
    // No label carries a path with an id in it.
    expect(m.some((s) => Object.values(s.labels).some((v) => v.includes(id)))).toBe(false);
    expect(total(m, 'mockloop_turn_duration_seconds_count', { kind: 'answer', outcome: 'done' })).toBe(1);
    expect(total(m, 'mockloop_turn_duration_seconds_count', { kind: 'skip', outcome: 'done' })).toBe(1);
    expect(total(m, 'mockloop_model_call_duration_seconds_count')).toBe(0);
    expect(total(m, 'mockloop_turn_recoveries_total')).toBe(0);
    expect(m.some((s) => s.name === 'mockloop_process_resident_memory_bytes')).toBe(true);
  });

  it('counts a request a middleware refused under the route that would have answered it, never under a path', async () => {
    const app = makeApp({ AUTH: 'token', METRICS: 'on', METRICS_TOKEN });
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answer: 'x' }) };
    expect((await app.request('/api/sessions/s-1/answer', post)).status).toBe(401);
    expect((await app.request('/api/no-such-thing/s-2')).status).toBe(401);
    const m = await scrape(app, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(total(m, 'mockloop_http_requests_total', { method: 'POST', route: '/api/sessions/:id/answer', status: '401' })).toBe(1);
    expect(total(m, 'mockloop_http_requests_total', { method: 'GET', route: '/api/*', status: '401' })).toBe(1);
    expect(m.some((s) => Object.values(s.labels).some((v) => /s-1|s-2/.test(v)))).toBe(false);
  });

  it('counts model calls, tokens, time to first token, open streams, errors and retries by provider and model', async () => {
    // A whole turn's limit a loaded machine does not reach, so each call ends as the mock says.
    const app = makeApp({ ...MODEL_ENV, OPENAI_TIMEOUT_MS: '10000', OPENAI_MAX_RETRIES: '1', METRICS: 'on' });
    const sessions = sessionsOf(app);
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    // The reply waits, so the stream is surely open when scraped.
    mock.reply(decide('followup', 'depth'), { kind: 'delay', ms: 300, then: say('What ', 'failed first?') });
    const streamed = await sessions.answer(id, ANSWER, { headers: sse });
    expect((await scrape(app)).find((s) => s.name === 'mockloop_event_streams_open')?.value).toBe(1);
    await streamed.text();
    mock.reply({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    expect((await sessions.answer(id, `${ANSWER} More.`)).status).toBeGreaterThanOrEqual(500);

    const m = await scrape(app);
    const model = { provider: 'openai', model: 'gpt-test' };
    expect(total(m, 'mockloop_model_call_duration_seconds_count', { ...model, operation: 'chat', outcome: 'ok' })).toBe(2);
    expect(total(m, 'mockloop_model_call_duration_seconds_count', { ...model, outcome: 'model_unavailable' })).toBe(1);
    expect(total(m, 'mockloop_model_tokens_total', { ...model, type: 'input' })).toBeGreaterThan(0);
    expect(total(m, 'mockloop_model_tokens_total', { ...model, type: 'output' })).toBeGreaterThan(0);
    expect(total(m, 'mockloop_model_time_to_first_token_seconds_count', model)).toBe(1);
    expect(total(m, 'mockloop_model_errors_total', { ...model, code: 'model_unavailable' })).toBe(1);
    expect(total(m, 'mockloop_model_retries_total', model)).toBe(1);
    expect(total(m, 'mockloop_event_streams_open')).toBe(0);
    expect(total(m, 'mockloop_turn_duration_seconds_count', { kind: 'answer', outcome: 'done' })).toBe(1);
    expect(total(m, 'mockloop_turn_duration_seconds_count', { kind: 'answer', outcome: 'model_unavailable' })).toBe(1);
  });

  it('times transcriptions by model and outcome', async () => {
    const WHISPER = 'http://whisper.test/v1';
    mock.server.use(http.post(`${WHISPER}/audio/transcriptions`, () => HttpResponse.json({ text: ANSWER, duration: 20 })));
    const app = makeApp({ TRANSCRIPTION_BASE_URL: WHISPER, OPENAI_MAX_RETRIES: '0', METRICS: 'on' });
    const id = await sessionsOf(app).start({ mix: { behavioral: 1 }, maxFollowUps: 0 });
    const form = new FormData();
    form.set('audio', new File([new Uint8Array(4096).fill(7)], 'answer.webm', { type: 'audio/webm' }));
    form.set('durationMs', '20000');
    form.set('position', '0');
    expect((await app.request(`/api/sessions/${id}/answer/audio`, { method: 'POST', body: form })).status).toBe(201);
    const m = await scrape(app);
    expect(total(m, 'mockloop_transcription_duration_seconds_count', { model: 'whisper-1', outcome: 'ok' })).toBe(1);
    expect(total(m, 'mockloop_model_call_duration_seconds_count', { operation: 'transcription', model: 'whisper-1' })).toBe(1);
  });

  it.runIf(onPostgres())('shows the PostgreSQL pool in use', async () => {
    const app = makeApp({ METRICS: 'on' });
    await app.deps.store.ready;
    const m = await scrape(app);
    expect(total(m, 'mockloop_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  });

  it('needs its own bearer token with accounts: a user token does not open it', async () => {
    expect(() => loadConfig({ AUTH: 'token', METRICS: 'on' })).toThrow(/METRICS=on with AUTH=token needs METRICS_TOKEN/);
    const app = makeApp({ AUTH: 'token', METRICS: 'on', METRICS_TOKEN });
    await app.deps.store.ready;
    await app.deps.accounts.addUser('alice');
    const { token } = await app.deps.accounts.createToken('alice');
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await scrape(app, { authorization: `Bearer ${METRICS_TOKEN}` });
  });
});

describe('a recovered turn', () => {
  it('is counted on /metrics and logged with its session, after a restart in the middle of grading', async () => {
    const env = { ...MODEL_ENV, ...testDatabase({ persistent: true }), METRICS: 'on' };
    const before = makeApp(env);
    const id = await sessionsOf(before).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    mock.reply({ kind: 'status', status: 500 });
    expect((await sessionsOf(before).answer(id, 'Quorum writes across three AZs.')).status).toBeGreaterThanOrEqual(500);
    await before.deps.store.close();

    const lines: string[] = [];
    const after = makeApp(env, { log: (line) => lines.push(line) });
    expect(total(await scrape(after), 'mockloop_turn_recoveries_total')).toBe(0);
    mock.reply(gradeReply('technical', 4, 'Quorum writes across three AZs'), say('Next question.'));
    expect(await after.deps.loop.turns.recover()).toBe(1);
    expect(total(await scrape(after), 'mockloop_turn_recoveries_total')).toBe(1);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'turn_recovered');
    expect(logged).toEqual([expect.objectContaining({ level: 'info', session: id })]);
    expect(lines.join('\n')).not.toContain('Quorum writes');
    await after.deps.store.close();
  });
});
