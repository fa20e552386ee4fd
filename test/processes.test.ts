import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAt, sessionsOf } from './helpers/app.js';
import { type ServerProcess, spawnServer } from './helpers/process.js';

/** A server's sessions, through the typed client of its socket. */
const on = (p: ServerProcess) => sessionsOf({ client: clientAt(p.base) });

const processes: ServerProcess[] = [];
afterEach(() => {
  for (const p of processes.splice(0)) p.child.kill('SIGKILL');
});

describe('two server processes on one SQLite file', () => {
  it('start together on a new file, and concurrent answers to the same sessions give no 500 and no doubled answer', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'mockloop-two-')), 'shared.db');
    const [a, b] = await Promise.all([spawnServer({ DATABASE_PATH: db }), spawnServer({ DATABASE_PATH: db })]);
    processes.push(a, b);
    const started = await Promise.all([a.started, b.started]);
    expect(
      started.map((s) => s.code),
      a.output() + b.output(),
    ).toEqual([null, null]);

    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) {
      sessions.push(await on(i % 2 ? a : b).start({ questionIds: ['amazon-32', 'amazon-31', 'amazon-33'], maxFollowUps: 0 }));
    }
    const sends = sessions.flatMap((id) =>
      [0, 1, 2, 3, 4].map((n) =>
        on(n % 2 ? a : b)
          .answer(id, `Answer ${n}: DynamoDB replicates partitions across three AZs with quorum writes.`)
          .then((r) => r.status),
      ),
    );
    const statuses = await Promise.all(sends);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);

    for (const id of sessions) {
      const s = await on(a).get(id);
      const answers = s.messages.filter((m) => m.kind === 'answer');
      const perQuestion = new Map<number | null, number>();
      for (const m of answers) perQuestion.set(m.sessionQuestionId, (perQuestion.get(m.sessionQuestionId) ?? 0) + 1);
      // With no follow-ups, each question takes exactly one answer.
      expect([...perQuestion.values()].every((n) => n === 1)).toBe(true);
      expect(s.gradedCount).toBe(answers.length);
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
    expect(a.output() + b.output()).not.toMatch(/UNIQUE constraint|database is locked|internal/);
  }, 40_000);
});
