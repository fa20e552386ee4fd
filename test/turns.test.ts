import { readFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bank } from '../src/bank/bank.js';
import { SessionViews } from '../src/interview/views.js';
import { body, makeApp, onPostgres, sessionsOf, testDatabase } from './helpers/app.js';
import { mock, MODEL_ENV, type Reply, until } from './helpers/openai-mock.js';
import { decide, gradeReply, say } from './helpers/replies.js';
import { parseSse } from './helpers/sse.js';

const ANSWER =
  'DynamoDB replicates each partition across three Availability Zones and writes succeed once a quorum of replicas persist them.';

const sse = { accept: 'text/event-stream' };

describe('idempotent turns', () => {
  it('replays the stored result for the same key and body, storing the answer once', async () => {
    const app = makeApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    const turn = sessionsOf(app);
    const first = await turn.answer(id, ANSWER, { key: 'k-1' });
    expect(first.status).toBe(200);
    const again = await turn.answer(id, ANSWER, { key: 'k-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    // …also as SSE: the same messages and grade, then done
    const events = parseSse(await (await turn.answer(id, ANSWER, { key: 'k-1', headers: sse })).text());
    expect(events.map((e) => e.event)).toEqual(['grade', 'message', 'done']);
    const s = await sessionsOf(app).get(id);
    expect(s.messages.filter((m) => m.kind === 'answer')).toHaveLength(1);
    expect(s.questions[1]!.answeredAt).toBeNull();
    expect(s.currentPosition).toBe(1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const app = makeApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    await sessionsOf(app).answer(id, ANSWER, { key: 'k-2' });
    const other = await sessionsOf(app).answer(id, 'Something else entirely.', { key: 'k-2' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'idempotency_mismatch' } });
  });

  it('marks a key running again while its failed turn runs again: another replica tells a resend its answer is saved', async () => {
    const env = { ...MODEL_ENV, ...testDatabase({ persistent: true }) };
    const one = makeApp(env);
    const two = makeApp(env);
    const id = await sessionsOf(one).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'status', status: 500 });
    expect((await sessionsOf(one).answer(id, ANSWER, { key: 'k-again' })).status).toBe(502);
    mock.reply({ kind: 'delay', ms: 600, then: decide('followup', 'depth') }, say('Why?'));
    const retried = sessionsOf(one).answer(id, ANSWER, { key: 'k-again' });
    await until(() => mock.requests.length >= 2);
    const resent = await sessionsOf(two).answer(id, ANSWER, { key: 'k-again' });
    expect(resent.status).toBe(409);
    expect(await resent.json()).toMatchObject({ error: { message: expect.stringMatching(/answer is saved/) } });
    expect((await retried).status).toBe(200);
    await Promise.all([one.deps.store.close(), two.deps.store.close()]);
  });

  it('runs a failed turn again for the same key without storing the answer twice', async () => {
    const app = makeApp(MODEL_ENV);
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'status', status: 500 });
    const failed = await sessionsOf(app).answer(id, ANSWER, { key: 'k-3' });
    expect(failed.status).toBe(502);
    mock.reply(decide('followup', 'depth'), say('What happens ', 'when a node fails?'));
    const again = await sessionsOf(app).answer(id, ANSWER, { key: 'k-3' });
    expect(again.status).toBe(200);
    const s = await sessionsOf(app).get(id);
    expect(s.messages.map((m) => m.kind)).toEqual(['opening', 'question', 'answer', 'followup']);
  });
});

describe('a turn that does not run', () => {
  // One replica's claim blocks every other replica until it lapses (TURN_LEASE_MS, a minute by
  // default): a refused or replayed request must give it back at once.
  it.each([
    ['refused as for a question the interview has left', { text: ANSWER, position: 5 }, undefined, 409],
    ['refused for a key used with another answer', { text: 'Another answer.' }, 'k-used', 422],
    ['replayed for its key', { text: ANSWER }, 'k-used', 200],
  ])('gives the claim back when %s: another replica answers at once', async (_, answer, key, status) => {
    const env = testDatabase({ persistent: true });
    const one = makeApp(env);
    const two = makeApp(env);
    const id = await sessionsOf(one).start({ questionIds: ['amazon-32', 'amazon-31', 'amazon-33'], maxFollowUps: 0 });
    expect((await sessionsOf(one).answer(id, ANSWER, { key: 'k-used' })).status).toBe(200);
    expect((await sessionsOf(one).answer(id, answer, { key })).status).toBe(status);
    const next = await sessionsOf(two).answer(id, `${ANSWER} (The second question.)`);
    expect(next.status).toBe(200);
    expect((await sessionsOf(two).get(id)).currentPosition).toBe(2);
    await Promise.all([one.deps.store.close(), two.deps.store.close()]);
  });
});

describe('the streaming path under model faults', () => {
  const faults: Array<[string, Reply[], string, boolean, boolean]> = [
    [
      'a reply cut off by its length limit',
      [decide('followup', 'depth'), { ...say('Thanks. Could you ', 'tell me more about the '), finishReason: 'length' }],
      'model_truncated',
      true,
      true,
    ],
    [
      'a connection dropped mid-reply',
      [decide('followup', 'depth'), { ...say('Thanks. ', 'Could you ', 'tell me '), dropAfter: 2 }],
      'model_connection',
      true,
      true,
    ],
    [
      'a content filter',
      [decide('followup', 'depth'), { ...say('Let me ', 'ask'), finishReason: 'content_filter' }],
      'model_refused',
      false,
      true,
    ],
    ['a server error', [{ kind: 'status', status: 500 }], 'model_unavailable', true, false],
    ['a rate limit', [{ kind: 'status', status: 429 }], 'model_rate_limited', true, false],
    ['bad credentials', [{ kind: 'status', status: 401 }], 'model_auth', false, false],
    ['a refusal', [{ kind: 'json', content: '', refusal: 'I cannot help with that.' }], 'model_refused', false, false],
    [
      'a reply that is not JSON',
      [
        { kind: 'json', content: 'nope' },
        { kind: 'json', content: 'still nope' },
      ],
      'model_invalid_output',
      true,
      false,
    ],
    ['no connection at all', [{ kind: 'network' }], 'model_connection', true, false],
  ];

  it.each(faults)(
    '%s: an error event with its code, nothing stored, and retry completes the turn',
    async (_name, replies, code, retryable, partial) => {
      const app = makeApp(MODEL_ENV);
      const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
      mock.reply(...replies);
      const events = parseSse(await (await sessionsOf(app).answer(id, ANSWER, { headers: sse })).text());
      const error = events.at(-1)!;
      expect(error.event).toBe('error');
      expect(error.data).toMatchObject({ code, retryable, discardPartial: partial });
      expect(error.data.message).not.toMatch(/Invalid option|expected one of|ZodError|undefined/);
      expect(events.some((e) => e.event === 'token')).toBe(partial);
      const s = await sessionsOf(app).get(id);
      expect(s.messages.map((m) => m.kind)).toEqual(['opening', 'question', 'answer']);

      mock.reset();
      mock.reply(decide('followup', 'depth'), say('What happens when a node fails?'));
      const retried = parseSse(await (await sessionsOf(app).retry(id, sse)).text());
      expect(retried.at(-1)!.event).toBe('done');
      const after = await sessionsOf(app).get(id);
      expect(after.messages.map((m) => m.kind)).toEqual(['opening', 'question', 'answer', 'followup']);
      expect(after.messages[3]!.content).toBe('What happens when a node fails?');
    },
  );

  it('logs every failed turn once, as one structured line without the answer', async () => {
    const lines: string[] = [];
    const app = makeApp(MODEL_ENV, { log: (l) => lines.push(l) });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'status', status: 503 });
    await (await sessionsOf(app).answer(id, ANSWER, { headers: sse })).text();
    mock.reply({ kind: 'status', status: 429 });
    await sessionsOf(app).retry(id);
    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'turn_failed');
    expect(failed).toHaveLength(2);
    const [streamed, json] = failed;
    expect(streamed).toMatchObject({
      event: 'turn_failed',
      session: id,
      position: 0,
      action: 'answer',
      code: 'model_unavailable',
      upstreamStatus: 503,
    });
    expect(json).toMatchObject({ event: 'turn_failed', action: 'retry', code: 'model_rate_limited', upstreamStatus: 429 });
    expect(streamed.durationMs).toEqual(expect.any(Number));
    expect(lines.join('\n')).not.toContain('quorum');
  });

  it('bounds the whole turn, retries included, by OPENAI_TIMEOUT_MS', async () => {
    const app = makeApp({ ...MODEL_ENV, OPENAI_TIMEOUT_MS: '1000' });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    // Each call alone is within the limit; together they are not.
    mock.reply({ kind: 'delay', ms: 600, then: decide('followup', 'depth') }, { kind: 'delay', ms: 600, then: say('Why?') });
    const res = await sessionsOf(app).answer(id, ANSWER);
    // Each call alone would pass a per-call limit: only a limit on the whole turn stops the second.
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: { code: 'model_timeout' } });
    expect(mock.requests).toHaveLength(2);
    expect((await sessionsOf(app).get(id)).messages.filter((m) => m.kind === 'followup')).toEqual([]);
  });
});

describe('readiness', () => {
  it('is 503 with the reason when the model endpoint is down, and 200 when it is up', async () => {
    const app = makeApp(MODEL_ENV);
    mock.state.modelsDown = true;
    const down = await app.json('/api/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      ready: false,
      database: { ok: true },
      model: { ok: false, reason: expect.stringMatching(/Could not reach/) },
    });
    mock.state.modelsDown = false;
    const fresh = makeApp(MODEL_ENV);
    expect((await fresh.json('/api/ready')).status).toBe(200);
    // liveness stays cheap and says ok either way
    expect((await fresh.json('/api/health')).body.status).toBe('ok');
  });

  it('is ready without a model for the offline provider', async () => {
    const res = await makeApp().json('/api/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ready: true, database: { ok: true }, model: null });
  });
});

describe('deleting a session', () => {
  it('waits for a running turn and is never a 500 for either request', async () => {
    const app = makeApp(MODEL_ENV);
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'delay', ms: 300, then: decide('followup', 'depth') }, say('Why?'));
    const answering = sessionsOf(app).answer(id, ANSWER);
    // The turn is running: its model call has been made.
    await until(() => mock.requests.length > 0);
    const deleted = await sessionsOf(app).remove(id);
    expect(deleted.status).toBe(204);
    expect((await answering).status).toBe(200);
    expect((await app.client.api.sessions[':id'].$get({ param: { id } })).status).toBe(404);
  });

  // PostgreSQL: deleted rows stay in the table's pages until (auto)vacuum reuses them.
  it.skipIf(onPostgres())('leaves no answer text in the SQLite files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mockloop-delete-'));
    const app = makeApp({ DATABASE_PATH: join(dir, 'db.sqlite') });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32'] });
    const secret = 'My answer mentions the word zanzibarquokka exactly once.';
    await sessionsOf(app).answer(id, secret);
    expect((await sessionsOf(app).remove(id)).status).toBe(204);
    for (const file of ['db.sqlite', 'db.sqlite-wal']) {
      let bytes = '';
      try {
        bytes = readFileSync(join(dir, file)).toString('latin1');
      } catch {
        continue;
      }
      expect(bytes.includes('zanzibarquokka'), file).toBe(false);
    }
    await app.deps.store.close();
  });
});

describe('deleting a user', () => {
  it.skipIf(onPostgres())('with their sessions leaves none of their answers in the SQLite files, which are theirs alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mockloop-delete-user-'));
    const path = join(dir, 'data', 'db.sqlite');
    const app = makeApp({ DATABASE_PATH: path, AUTH: 'token' });
    await app.deps.accounts.addUser('carolquuxington');
    const token = (await app.deps.accounts.createToken('carolquuxington')).token;
    const as = { authorization: `Bearer ${token}` };
    const carol = sessionsOf({ client: app.clientWith(as) });
    const id = await carol.start({ questionIds: ['amazon-32'] });
    await carol.answer(id, 'Carol writes the word okapivelvet once.');
    expect((statSync(join(dir, 'data')).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    await app.deps.accounts.removeUser('CAROLQUUXINGTON', 'delete');
    for (const file of ['db.sqlite', 'db.sqlite-wal']) {
      let bytes = '';
      try {
        bytes = readFileSync(join(dir, 'data', file)).toString('latin1');
      } catch {
        continue;
      }
      expect(bytes.includes('okapivelvet'), file).toBe(false);
      expect(bytes.includes('carolquuxington'), file).toBe(false);
    }
    await app.deps.store.close();
  });
});

describe('what was asked', () => {
  it('replays and exports the question as it was asked, whatever the bank says later', async () => {
    const env = testDatabase({ persistent: true });
    const app = makeApp(env);
    const questionIds = ['amazon-32', 'amazon-33', 'amazon-34'];
    const id = await sessionsOf(app).start({ questionIds });
    const original = questionIds.map((q) => app.deps.bank.require(q).prompt);
    const later = new Bank(
      app.deps.bank.entries.map((e) => ({ ...e, prompt: `Reworded: ${e.id}.`, referenceAnswer: 'New.', topics: ['customer'] })),
    );
    // On the replica that started it (its snapshots cached) and on one that never saw it (read from the database).
    const other = makeApp(env);
    for (const store of [app.deps.store, other.deps.store]) {
      const view = await new SessionViews(store, later, app.deps.rubrics).get(id);
      expect(view.questions[0]!.prompt).toBe(original[0]);
      // Each question's own, in its place (the prompts of those not asked yet are not shown).
      expect(view.questions.map((q) => q.topics)).toEqual(questionIds.map((q) => app.deps.bank.require(q).topics));
    }
    await Promise.all([app.deps.store.close(), other.deps.store.close()]);
  });
});

describe('shutting down', () => {
  it('answers a JSON turn it hands over with a 503 and Retry-After at once, and the answer stays saved', async () => {
    const app = makeApp(MODEL_ENV);
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    mock.reply({ kind: 'delay', ms: 3000, then: gradeReply('technical', 4) }, say('Next question.'));
    const pending = sessionsOf(app).answer(id, ANSWER, { key: 'handed-over-json' });
    await until(() => mock.requests.length === 1);
    const began = Date.now();
    expect(await app.deps.loop.turns.drain(0)).toMatchObject({ released: 1 });
    const res = await pending;
    expect(Date.now() - began).toBeLessThan(2500);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 'shutting_down',
      message: expect.stringMatching(/answer is saved/),
    });
    expect((await sessionsOf(app).get(id)).messages.filter((m) => m.kind === 'answer').map((m) => m.content)).toEqual([ANSWER]);
    // The turn itself runs on here until the process ends (another replica's recovery would complete it).
    await app.deps.loop.turns.settled(id);
  });

  it('refuses a new turn with a 503 once the server drains, and stores nothing of it', async () => {
    const app = makeApp();
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32'] });
    expect(await app.deps.loop.turns.drain(0)).toEqual({ finished: 0, released: 0, handedOver: [] });
    const res = await body(sessionsOf(app).answer(id, ANSWER), 503);
    expect(res.error.code).toBe('shutting_down');
    expect((await sessionsOf(app).get(id)).messages.filter((m) => m.kind === 'answer')).toEqual([]);
  });
});
