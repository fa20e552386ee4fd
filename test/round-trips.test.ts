import { describe, expect, it } from 'vitest';
import { countStatements } from '../bench/support/statements.js';
import { makeApp, onPostgres, sessionsOf } from './helpers/app.js';

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
    // The first turn is not counted: the question snapshots are cached then; the second is a turn like any other.
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
});
