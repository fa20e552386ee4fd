import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { body, clientAt, sessionsOf } from './helpers/app.js';
import { type ServerProcess, spawnServer, useStubModel, waitFor } from './helpers/process.js';

/**
 * The database going away, for real, against server processes: a SQLite file locked by another
 * program, and a server killed mid-turn whose client sends the same request again. The process
 * stays up, says why it cannot write, and nothing the candidate wrote is lost.
 */
const model = useStubModel();
const { processes } = model;

async function server(env: Record<string, string>) {
  const p = await spawnServer({ TURN_LEASE_MS: '1000', ...env });
  processes.push(p);
  const { code } = await p.started;
  expect(code, p.output()).toBeNull();
  return p;
}

/** A server's sessions, through the typed client of its socket. */
const on = (p: ServerProcess) => sessionsOf({ client: clientAt(p.base) });
const ANSWER = 'DynamoDB replicates each partition across three Availability Zones, and a write succeeds once a quorum of replicas has it.';
const dbFile = () => join(mkdtempSync(join(tmpdir(), 'mockloop-outage-')), 'db.sqlite');

describe('a SQLite file locked by another program', () => {
  it('answers health at once meanwhile, a turn 503 database_busy with Retry-After, stays up, and takes the answer once the lock is gone', async () => {
    const path = dbFile();
    const s = await server({ DATABASE_PATH: path });
    const session = { id: await on(s).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 }) };

    // Another program (a backup, a sqlite3 shell) takes the write lock and keeps it for 10 s.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();
    try {
      // While the turn waits for the lock, health answers at once: nothing waits on the event loop.
      let settled = false;
      const waiting = on(s)
        .answer(session.id, ANSWER)
        .finally(() => (settled = true));
      let whileWaiting = 0;
      while (!settled) {
        const started = Date.now();
        expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
        expect(Date.now() - started).toBeLessThan(500);
        if (!settled) whileWaiting++;
      }
      // The turn waited seconds for the lock: health answered many times meanwhile.
      expect(whileWaiting).toBeGreaterThanOrEqual(3);
      const answered = await waiting;
      expect(answered.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await body(answered, 503)).error.code).toBe('database_busy');
      // The server stays responsive while the lock is held, and recovery rounds do not kill it.
      await waitFor(async () => (Date.now() - lockedAt > 10_000 ? true : undefined), 12_000, 'the lock to have been held 10 s');
      expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
      expect(s.child.exitCode).toBeNull();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }

    await body(on(s).answer(session.id, ANSWER), 200);
    const replay = await on(s).get(session.id);
    expect(replay.messages.filter((m) => m.kind === 'answer').map((m) => m.content)).toEqual([ANSWER]);
    expect(s.output()).not.toMatch(/unhandled|uncaught/i);
  }, 40_000);
});

describe('a server killed with SIGKILL in the middle of a turn', () => {
  it('answers the same request sent again with its Idempotency-Key with the completed turn, after 409s that say the answer is saved', async () => {
    const path = dbFile();
    const env = { DATABASE_PATH: path, OPENAI_BASE_URL: model.stub().url, OPENAI_API_KEY: 'stub', MODEL: 'stub', OPENAI_MAX_RETRIES: '0' };
    const first = await server(env);
    const session = { id: await on(first).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 }) };
    const key = 'cut-off-by-a-crash';
    model.stub().requests.chat = 0;
    model.stub().set({ delayMs: 3000 });
    void on(first)
      .answer(session.id, ANSWER, { key })
      .catch(() => undefined);
    await waitFor(async () => (model.stub().requests.chat > 0 ? true : undefined), 10_000, 'the grading call');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await server(env);
    const statuses: number[] = [];
    const replayed = await waitFor(
      async () => {
        const res = await on(second).answer(session.id, ANSWER, { key });
        statuses.push(res.status);
        if (res.status === 409) {
          const after = res.headers.get('retry-after');
          expect(after).toMatch(/^\d+$/);
          expect((await body(res, 409)).error.message).toMatch(/answer is saved/);
          // A well-behaved client waits as long as it is told: the wait is the behaviour under test.
          await new Promise((r) => setTimeout(r, Number(after) * 1000));
          return undefined;
        }
        return res;
      },
      20_000,
      'the resent request to be answered',
    );
    // The stored result of the turn recovery completed, or (when the resend came first) the turn completed for it: once either way.
    // It is the result of that turn: the grade of the answer it sent, not a turn run on the next question.
    const result = await body(replayed, 200);
    expect(result.grades.map((g) => g.grade.questionId)).toEqual(['amazon-32']);
    expect(statuses.every((s) => s === 409 || s === 200)).toBe(true);
    const replay = await on(second).get(session.id);
    expect(replay.messages.filter((m) => m.kind === 'answer')).toHaveLength(1);
    expect(replay.gradedCount).toBe(1);
  }, 40_000);
});
