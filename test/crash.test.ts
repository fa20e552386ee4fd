import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientAt, sessionsOf } from './helpers/app.js';
import { spawnServer, useStubModel, waitFor } from './helpers/process.js';

/**
 * Crashes for real: a server process killed with SIGKILL in the middle of a turn, against a model
 * server in another process, and a new process on the same database file that finds the answer
 * stored and completes the turn by itself.
 */
const model = useStubModel();
const { processes } = model;

async function server(dbPath: string) {
  const p = await spawnServer({
    DATABASE_PATH: dbPath,
    OPENAI_BASE_URL: model.stub().url,
    OPENAI_API_KEY: 'stub',
    MODEL: 'stub',
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '20000',
    TURN_LEASE_MS: '1000',
  });
  processes.push(p);
  const { code } = await p.started;
  expect(code, p.output()).toBeNull();
  return p;
}

/** A server's sessions, through the typed client of its socket. */
const on = (p: { base: string }) => sessionsOf({ client: clientAt(p.base) });

const ANSWER = 'DynamoDB replicates each partition across three Availability Zones, and a write succeeds once a quorum of replicas has it.';

describe.each([
  ['grading', { maxFollowUps: 0 }, { delayMs: 4000 }, () => model.stub().requests.chat > 0],
  ['the follow-up decision', { maxFollowUps: 1 }, { delayMs: 4000 }, () => model.stub().requests.chat > 0],
  ['the stream that asks the next question', { maxFollowUps: 0 }, { firstTokenMs: 4000 }, () => model.stub().requests.streams > 0],
] as const)('a server killed with SIGKILL during %s', (_step, options, slow, reached) => {
  it('restarts, finds the answer stored once and completes the turn without a manual retry', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'mockloop-crash-')), 'db.sqlite');
    const first = await server(db);
    const session = { id: await on(first).start({ questionIds: ['amazon-32', 'amazon-31'], ...options }) };
    model.stub().requests.chat = 0;
    model.stub().requests.streams = 0;
    model.stub().set(slow);
    void on(first)
      .answer(session.id, ANSWER)
      .catch(() => undefined);
    await waitFor(async () => (reached() ? true : undefined), 10_000, 'the model call');
    first.child.kill('SIGKILL');
    await first.exited;
    model.stub().set({ delayMs: 0, firstTokenMs: 0 });

    const second = await server(db);
    const done = await waitFor(
      async () => {
        const s = await on(second).get(session.id);
        return s.currentPosition === 1 && s.questions[1]!.state === 'asked' ? s : undefined;
      },
      15_000,
      'the turn to complete',
    );
    expect(done.messages.filter((m: any) => m.kind === 'answer').map((m: any) => m.content)).toEqual([ANSWER]);
    expect(done.questions[0]!.state).toBe('graded');
    expect(done.questions[0]!.grade).not.toBeNull();
    expect(done.messages.at(-1)!.kind).toBe('question');
  }, 40_000);
});
