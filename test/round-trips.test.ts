import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { countStatements } from '../bench/support/statements.js';
import { makeApp, onPostgres, sessionsOf, testDatabase } from './helpers/app.js';

/**
 * The most statements an offline answer turn (graded, the next question asked) may send to its
 * database (issue 23 asks at most 8 on PostgreSQL). On PostgreSQL each is a round trip to the
 * server: the claim with what the turn reads, the answer, the grade with the next question, the
 * claim's release (with the key's result). On SQLite a call into the library in this process,
 * kept from growing.
 */
export const STATEMENTS_PER_ANSWER_TURN = { postgres: 4, sqlite: 26 } as const;

const ANSWER =
  'DynamoDB replicates every partition across three Availability Zones, and writes succeed once a quorum of replicas persist them, so a node failure loses no data.';

describe('round trips of a turn', () => {
  const kind = onPostgres() ? 'postgres' : 'sqlite';
  // A client that resends safely sends an Idempotency-Key: its turn costs no more round trips.
  it.each([
    ['without an Idempotency-Key', {}],
    ['with an Idempotency-Key', { 'idempotency-key': 'turn' }],
  ])(`an offline answer turn %s sends at most ${STATEMENTS_PER_ANSWER_TURN[kind]} statements to ${kind}`, async (_, headers) => {
    const counter = countStatements();
    const app = makeApp();
    const turn = sessionsOf(app);
    const id = await turn.start({ questionIds: ['amazon-31', 'amazon-32', 'amazon-33'], maxFollowUps: 0 });
    // The second turn is counted: one in the middle of the session, like most.
    expect((await turn.answer(id, ANSWER)).status).toBe(200);
    counter.take();
    const key = (headers as Record<string, string>)['idempotency-key'];
    const res = await app.post(`/api/sessions/${id}/answer`, { text: `${ANSWER} (Again.)` }, key ? { 'idempotency-key': `${key}-2` } : {});
    expect(res.status).toBe(200);
    const counted = counter.take();
    // The turn did what it is counted for: graded the answer, asked the next question, kept its key.
    const s = await turn.get(id);
    expect(s.currentPosition).toBe(2);
    expect(s.questions[1]!.grade).toBeTruthy();
    if (key) {
      const again = await app.post(`/api/sessions/${id}/answer`, { text: `${ANSWER} (Again.)` }, { 'idempotency-key': `${key}-2` });
      expect(again.body).toEqual(res.body);
      expect((await turn.get(id)).currentPosition).toBe(2);
    }
    const statements = counted[kind];
    expect(statements).toBeGreaterThan(0);
    expect(statements, counted.postgresText.join('\n')).toBeLessThanOrEqual(STATEMENTS_PER_ANSWER_TURN[kind]);
  });

  // Behind a balancer the next turn often lands on a replica that has never seen the session: the
  // questions as they were asked (their snapshots) come with the claim, not one read each.
  it(`an offline answer turn on a replica that did not start the session sends at most ${STATEMENTS_PER_ANSWER_TURN[kind]} statements to ${kind}`, async () => {
    const counter = countStatements();
    const env = testDatabase({ persistent: true });
    const one = makeApp(env);
    const two = makeApp(env);
    const id = await sessionsOf(one).start({ questionIds: ['amazon-31', 'amazon-32', 'amazon-33'], maxFollowUps: 0 });
    counter.take();
    expect((await sessionsOf(two).answer(id, ANSWER)).status).toBe(200);
    const counted = counter.take();
    const s = await sessionsOf(one).get(id);
    expect(s.currentPosition).toBe(1);
    expect(s.questions[0]!.grade).toBeTruthy();
    // The next question as it was asked: its snapshot, not the bank's entry.
    expect(s.messages.at(-1)!.content).toContain(s.questions[1]!.prompt);
    expect(counted[kind], counted.postgresText.join('\n')).toBeLessThanOrEqual(STATEMENTS_PER_ANSWER_TURN[kind]);
    await Promise.all([one.deps.store.close(), two.deps.store.close()]);
  });
});

describe("round trips of a session's page", () => {
  const kind = onPostgres() ? 'postgres' : 'sqlite';
  // On a replica that has not seen the session, the questions as they were asked (their
  // snapshots) are read together: the page of a long loop costs no more statements than a short one's.
  it(`reads a session's questions as asked in one statement on ${kind}, however many it has`, async () => {
    const counter = countStatements();
    const env = testDatabase({ persistent: true });
    const one = makeApp(env);
    const pageOnAnotherReplica = async (questions: number) => {
      const two = makeApp(env);
      await two.deps.store.ready;
      const questionIds = Array.from({ length: questions }, (_, i) => `amazon-${31 + i}`);
      const id = await sessionsOf(one).start({ questionIds, maxFollowUps: 0 });
      counter.take();
      const page = await sessionsOf(two).get(id);
      const counted = counter.take();
      await two.deps.store.close();
      expect(page.questions.map((q) => q.questionId)).toEqual(questionIds);
      expect(page.questions[0]!.prompt).toBeTruthy();
      return counted;
    };
    const short = await pageOnAnotherReplica(2);
    const long = await pageOnAnotherReplica(20);
    expect(long[kind], long.postgresText.join('\n')).toBe(short[kind]);
    await one.deps.store.close();
  });
});

describe.runIf(onPostgres())('prepared statements on PostgreSQL', () => {
  const turnOf = async (env: Record<string, string>) => {
    const counter = countStatements();
    const app = makeApp(env);
    const turn = sessionsOf(app);
    const id = await turn.start({ questionIds: ['amazon-31', 'amazon-32', 'amazon-33', 'amazon-34'], maxFollowUps: 0 });
    counter.take();
    expect((await turn.answer(id, ANSWER, { key: 'prepared' })).status).toBe(200);
    return { app, id, counted: counter.take() };
  };

  it("sends a turn's statements as prepared statements, and not with DATABASE_PREPARED_STATEMENTS=off", async () => {
    const on = await turnOf(testDatabase());
    expect(on.counted.postgresNamed).toBe(on.counted.postgres);
    const off = await turnOf({ ...testDatabase(), DATABASE_PREPARED_STATEMENTS: 'off' });
    expect(off.counted.postgres).toBe(on.counted.postgres);
    expect(off.counted.postgresNamed).toBe(0);
    await Promise.all([on.app.deps.store.close(), off.app.deps.store.close()]);
  });

  // A newer replica migrates the schema while this one runs with its statements prepared: they are
  // planned again, never refused with "cached plan must not change result type".
  it('keeps answering after a newer replica adds columns to the tables its prepared statements read', async () => {
    const env: Record<string, string> = { ...testDatabase(), DATABASE_POOL_SIZE: '1' };
    const { app, id } = await turnOf(env);
    // Both kinds of turn have run, with a key and without: each statement a turn sends is prepared.
    const turn = sessionsOf(app);
    expect((await turn.answer(id, `${ANSWER} (Second.)`)).status).toBe(200);
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    for (const table of ['sessions', 'session_questions', 'messages', 'grades', 'idempotency_keys']) {
      await client.query(`alter table "${env.DATABASE_SCHEMA}"."${table}" add column added_later text default 'x'`);
    }
    await client.end();
    expect((await turn.answer(id, `${ANSWER} (Third.)`, { key: 'after' })).status).toBe(200);
    expect((await turn.answer(id, `${ANSWER} (Fourth.)`)).status).toBe(200);
    const s = await turn.get(id);
    expect(s.status).toBe('finished');
    expect(s.questions.map((q) => Boolean(q.grade))).toEqual([true, true, true, true]);
    await app.deps.store.close();
  });
});
