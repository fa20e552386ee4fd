import { describe, expect, it } from 'vitest';
import { body, clientAt, sessionsOf, testDatabase } from './helpers/app.js';
import { type ServerProcess, spawnServer, useStubModel, waitFor } from './helpers/process.js';

/**
 * Several replicas on one PostgreSQL database, for real: separate server processes sharing a
 * schema, concurrent answers through both, a replica killed with SIGKILL mid-grading, and a
 * graceful SIGTERM. (Runs in the `postgres` test project only.)
 */
const model = useStubModel();
const { processes } = model;

const MODEL = { OPENAI_BASE_URL: '', OPENAI_API_KEY: 'stub', MODEL: 'stub', OPENAI_MAX_RETRIES: '0', OPENAI_TIMEOUT_MS: '20000' };

async function replicas(n: number, env: Record<string, string>) {
  const started = await Promise.all(Array.from({ length: n }, () => spawnServer(env)));
  processes.push(...started);
  const codes = await Promise.all(started.map((p) => p.started));
  expect(
    codes.map((c) => c.code),
    started.map((p) => p.output()).join('\n'),
  ).toEqual(started.map(() => null));
  return started;
}

/** A replica's sessions, through the typed client of its socket. */
const on = (replica: ServerProcess | undefined) => sessionsOf({ client: clientAt(replica!.base) });

const ANSWER = 'DynamoDB replicates each partition across three Availability Zones, and a write succeeds once a quorum of replicas has it.';

describe('two replicas on one PostgreSQL database', () => {
  it('take concurrent answers for the same sessions: exactly one answer per turn, none lost, every grade stored once', async () => {
    const [a, b] = await replicas(2, { ...testDatabase() });
    const QUESTIONS = ['amazon-32', 'amazon-31', 'amazon-33', 'amazon-34'];
    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) sessions.push(await on(i % 2 ? a : b).start({ questionIds: QUESTIONS, maxFollowUps: 0 }));

    const accepted = new Map<string, string[]>();
    for (let position = 0; position < QUESTIONS.length; position++) {
      // Four answers to the same question of each session at once, through both replicas.
      const round = sessions.flatMap((id) =>
        [0, 1, 2, 3].map(async (n) => {
          const text = `Answer ${n} to question ${position + 1}: ${ANSWER}`;
          const res = await on(n % 2 ? a : b).answer(id, { text, position });
          if (res.status === 200) accepted.set(id, [...(accepted.get(id) ?? []), text]);
          return res.status;
        }),
      );
      const statuses = await Promise.all(round);
      expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
      expect(statuses.filter((s) => s === 200)).toHaveLength(sessions.length);
    }

    for (const id of sessions) {
      const s = await on(b).get(id);
      const answers = s.messages.filter((m: any) => m.kind === 'answer');
      // every accepted answer is stored, once, in order, one per question
      expect(answers.map((m: any) => m.content)).toEqual(accepted.get(id));
      expect(new Set(answers.map((m: any) => m.sessionQuestionId)).size).toBe(QUESTIONS.length);
      expect(s.questions.map((q: any) => q.state)).toEqual(QUESTIONS.map(() => 'graded'));
      expect(s.gradedCount).toBe(QUESTIONS.length);
      expect(s.status).toBe('finished');
    }
    expect(a!.output() + b!.output()).not.toMatch(/duplicate key|deadlock|internal/i);
  }, 60_000);

  it('run a request sent with the same Idempotency-Key to both replicas once', async () => {
    const [a, b] = await replicas(2, { ...testDatabase() });
    const id = await on(a).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    const key = 'same-key-both-replicas';
    const statuses = await Promise.all(
      [a, b, a, b].map((r) =>
        on(r)
          .answer(id, ANSWER, { key })
          .then((res) => res.status),
      ),
    );
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    // once the first has finished, every replica replays its result
    const again = await on(b).answer(id, ANSWER, { key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const s = await on(a).get(id);
    expect(s.messages.filter((m: any) => m.kind === 'answer')).toHaveLength(1);
    expect(s.gradedCount).toBe(1);
  }, 30_000);

  it('complete the grade of a replica killed with SIGKILL mid-grading, while the other keeps running, under the same request id', async () => {
    // The balancer in front (here: this test, on 127.0.0.1) names each request; the replicas believe it.
    const env = { ...testDatabase(), ...MODEL, OPENAI_BASE_URL: model.stub().url, TURN_LEASE_MS: '1000', TRUSTED_PROXIES: '127.0.0.1' };
    const [a, b] = await replicas(2, env);
    const id = await on(a).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    model.stub().requests.chat = 0;
    model.stub().set({ delayMs: 4000 });
    void on(a)
      .answer(id, ANSWER, { headers: { 'x-request-id': 'balancer-turn-7' } })
      .catch(() => undefined);
    await waitFor(async () => (model.stub().requests.chat > 0 ? true : undefined), 10_000, 'the grading call');
    a!.child.kill('SIGKILL');
    await a!.exited;
    model.stub().set({ delayMs: 0 });

    const done = await waitFor(
      async () => {
        const s = await on(b).get(id);
        return s.currentPosition === 1 && s.questions[1]!.state === 'asked' ? s : undefined;
      },
      15_000,
      'the other replica to complete the turn',
    );
    expect(done.messages.filter((m: any) => m.kind === 'answer').map((m: any) => m.content)).toEqual([ANSWER]);
    expect(done.questions[0]!.state).toBe('graded');
    expect(done.gradedCount).toBe(1);
    // The operator follows the turn from the replica that died to the one that completed it by its id.
    const lines = b!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const completed = lines.filter((l) => l.reqId === 'balancer-turn-7').map((l) => l.event);
    expect(completed).toEqual(expect.arrayContaining(['model_call', 'turn', 'turn_recovered']));
  }, 40_000);

  it('stop gracefully on SIGTERM: the running turn finishes and its answer is sent, the process exits 0', async () => {
    const env = { ...testDatabase(), ...MODEL, OPENAI_BASE_URL: model.stub().url, SHUTDOWN_GRACE_MS: '10000' };
    const [a, b] = await replicas(2, env);
    const first = await on(a).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    model.stub().requests.chat = 0;
    model.stub().set({ delayMs: 1500 });
    const running = on(a).answer(first, ANSWER);
    await waitFor(async () => (model.stub().requests.chat > 0 ? true : undefined), 10_000, 'the grading call');
    a!.child.kill('SIGTERM');
    // While it drains it still answers: a new turn is a 503 to send elsewhere, and it is not ready.
    const other = await on(b).start({ questionIds: ['amazon-32'], maxFollowUps: 0 });
    const refused = await waitFor(
      async () => {
        const r = await on(a).answer(other, ANSWER);
        return r.status === 503 ? r : undefined;
      },
      1000,
      'a 503 from the draining replica',
    );
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await body(refused, 503)).error.code).toBe('shutting_down');
    expect((await fetch(`${a!.base}/api/ready`)).status).toBe(503);
    expect((await body(running, 200)).grades).toHaveLength(1);
    expect(await a!.exited).toBe(0);
    expect(a!.output()).toMatch(/1 turn\(s\) finished, 0 handed over/);
    // the other replica has the whole session
    const s = await on(b).get(first);
    expect(s.gradedCount).toBe(1);
  }, 30_000);

  it('hand a turn that outlasts the shutdown grace over to another replica at once, not after the lease', async () => {
    const env = { ...testDatabase(), ...MODEL, OPENAI_BASE_URL: model.stub().url, SHUTDOWN_GRACE_MS: '100', TURN_LEASE_MS: '8000' };
    const [a, b] = await replicas(2, env);
    const id = await on(a).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    model.stub().requests.chat = 0;
    model.stub().set({ delayMs: 3000 });
    const key = 'handed-over';
    let reqId: string | null = null;
    const stream = on(a)
      .answer(id, ANSWER, { key, headers: { accept: 'text/event-stream' } })
      .then(async (r) => {
        reqId = r.headers.get('x-request-id');
        // Read as it comes: the connection closes once the stream's last event is out.
        let text = '';
        const decoder = new TextDecoder();
        const reader = r.body!.getReader();
        try {
          for (let part = await reader.read(); !part.done; part = await reader.read()) text += decoder.decode(part.value, { stream: true });
        } catch {
          // closed by the stopping server
        }
        return text;
      });
    await waitFor(async () => (model.stub().requests.chat > 0 ? true : undefined), 10_000, 'the grading call');
    const stopped = Date.now();
    a!.child.kill('SIGTERM');
    expect(await a!.exited).toBe(0);
    // The stream ends with an event that tells the page to ask again, not by just closing.
    expect(await stream.catch(() => '')).toMatch(/event: handover\ndata: .*"retryAfter":\d+/);
    expect(a!.output()).toMatch(/0 turn\(s\) finished, 1 handed over/);
    // Named, with its request's id: the operator follows it to the replica that completes it.
    const stopping = a!
      .output()
      .split('\n')
      .filter((l) => l.includes('"event":"stopping"'))
      .map((l) => JSON.parse(l) as { handedOver: unknown });
    expect(stopping).toEqual([expect.objectContaining({ handedOver: [{ session: id, reqId: expect.stringMatching(/^[0-9a-f-]{36}$/) }] })]);
    expect(stopping[0]!.handedOver).toEqual([{ session: id, reqId }]);
    model.stub().set({ delayMs: 0 });
    await waitFor(
      async () => {
        const s = await on(b).get(id);
        return s.questions[0]!.state === 'graded' && s.currentPosition === 1 ? s : undefined;
      },
      15_000,
      'the other replica to complete the turn',
    );
    // Recovery runs every 4 s (half the lease): well before the 8 s lease would have lapsed.
    expect(Date.now() - stopped).toBeLessThan(8000);
    // Asked again with the same key, the other replica gives the result of that turn.
    const again = await body(on(b).answer(id, ANSWER, { key }), 200);
    expect(again.grades.map((g) => g.grade.questionId)).toEqual(['amazon-32']);
  }, 40_000);
});
