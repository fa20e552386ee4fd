import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { makeApp, sessionsOf } from './helpers/app.js';
import { completion, mock, MODEL_ENV } from './helpers/openai-mock.js';
import { decide, say } from './helpers/replies.js';

const MARKER = 'zebra-marker-7f3c1d';

/**
 * A session through the API whose answer carries a unique marker and the caller's own token,
 * sent with the token, a cookie and a page key: what the server told its operator about it.
 */
async function observedSession() {
  const lines: string[] = [];
  const env = { ...MODEL_ENV, AUTH: 'token', LOG_LEVEL: 'trace', METRICS: 'on', METRICS_TOKEN: 'scraper-token-0123456789' };
  const exporter = new InMemorySpanExporter();
  const app = makeApp(env, { log: (line) => lines.push(line), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  await app.deps.store.ready;
  await app.deps.accounts.addUser('alice');
  const { token } = await app.deps.accounts.createToken('alice');
  const headers = {
    authorization: `Bearer ${token}`,
    cookie: 'mockloop_login=cookie-secret-91ab',
    'x-mockloop-key': 'page-key-secret-5e2d',
  };
  const sessions = sessionsOf({ client: app.clientWith(headers) });
  const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
  const answer = `I fixed the ${MARKER} outage; my token is ${token} and I rolled the change back within ten minutes.`;
  mock.reply(decide('followup', 'depth'), say('What ', 'failed first?'));
  const streamed = await sessions.answer(id, answer, { headers: { accept: 'text/event-stream' } });
  expect(streamed.status).toBe(200);
  expect(await streamed.text()).toContain('failed first?');
  mock.reply({ kind: 'status', status: 500 });
  expect((await sessions.answer(id, `${MARKER} again ${token}`)).status).toBeGreaterThanOrEqual(500);
  const metrics = await (await app.request('/metrics', { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } })).text();
  const spans = exporter.getFinishedSpans().map((s) => JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events }));
  return { lines, metrics, spans, secrets: [MARKER, token, 'cookie-secret-91ab', 'page-key-secret-5e2d'] };
}

describe('what the operator sees', () => {
  it('never logs the answer text, a token, a cookie or the page key', async () => {
    const { lines, secrets } = await observedSession();
    expect(lines.length).toBeGreaterThan(4);
    for (const secret of secrets) for (const line of lines) expect(line).not.toContain(secret);
  });

  it('never puts them in a span name, attribute or event', async () => {
    const { spans, secrets } = await observedSession();
    expect(spans.filter((s) => s.includes('gen_ai.request.model'))).toHaveLength(3);
    for (const secret of secrets) for (const span of spans) expect(span).not.toContain(secret);
  });

  it('never puts them in a metric label', async () => {
    const { metrics, secrets } = await observedSession();
    expect(metrics).toMatch(/mockloop_model_tokens_total\{/);
    for (const secret of secrets) expect(metrics).not.toContain(secret);
  });

  it("never logs a model's reply or a provider's error text, which can quote the answer or the key", async () => {
    const lines: string[] = [];
    const app = makeApp(MODEL_ENV, { log: (line) => lines.push(line) });
    const sessions = sessionsOf(app);
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    // A model that echoes the answer into broken JSON, both times it is asked: the parse error quotes it.
    const echo = completion(`{"action": ${MARKER} followup`);
    mock.reply(echo, echo);
    expect((await sessions.answer(id, `The ${MARKER} outage was mine to fix.`)).status).toBe(502);
    // A provider's 401 names the key it was sent, masked but in part.
    const keyText = 'Incorrect API key provided: sk-APIKE****9876. You can find your API key at https://platform.openai.com';
    mock.reply({
      kind: 'status',
      status: 401,
      body: { error: { message: keyText, type: 'invalid_request_error', code: 'invalid_api_key' } },
    });
    expect((await sessions.retry(id)).status).toBe(502);
    // A refusal that quotes it.
    mock.reply(completion('', { refusal: `I will not grade an answer about the ${MARKER} outage.` }));
    expect((await sessions.retry(id)).status).toBe(502);
    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'turn_failed');
    expect(failed.map((l) => l.code)).toEqual(['model_invalid_output', 'model_auth', 'model_refused']);
    // What went wrong is still there: the provider's own error code and status.
    expect(failed[1].cause).toMatchObject({ code: 'invalid_api_key', status: 401 });
    for (const line of lines) {
      expect(line).not.toContain(MARKER);
      expect(line).not.toContain('sk-APIKE');
    }
  });
});
