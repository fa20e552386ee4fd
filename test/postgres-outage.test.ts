import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../bench/support/postgres-cluster.js';
import { start } from '../src/start.js';
import { body, clientAt, sessionsOf } from './helpers/app.js';
import { type ServerProcess, spawnServer, waitFor } from './helpers/process.js';

/**
 * PostgreSQL stopped under two replicas and started again, for real: a cluster of this test's
 * own, stopped with a fast shutdown (as an operator or a crash would) for longer than the claim
 * lease. Both replicas stay up, say they are not ready while it is away, answer turns with 503
 * and Retry-After instead of 500, and are ready again by themselves when it is back.
 * (Runs in the `postgres` test project only.)
 */
const processes: ServerProcess[] = [];
let cluster: Cluster | undefined;
afterEach(() => {
  for (const p of processes.splice(0)) p.child.kill('SIGKILL');
  cluster?.stop();
  cluster = undefined;
});

/** A replica's sessions, through the typed client of its socket. */
const on = (p: ServerProcess) => sessionsOf({ client: clientAt(p.base) });
const ANSWER = 'DynamoDB replicates each partition across three Availability Zones, and a write succeeds once a quorum of replicas has it.';

describe('two replicas when PostgreSQL stops and starts again', () => {
  it('stay up, are not ready during the outage, answer 503 with Retry-After, and take turns again afterwards', async () => {
    cluster = await startCluster();
    const env = { DATABASE_URL: cluster.url, DATABASE_SCHEMA: 'outage', DATABASE_POOL_SIZE: '4', TURN_LEASE_MS: '1000' };
    const first = await spawnServer(env);
    processes.push(first);
    expect((await first.started).code, first.output()).toBeNull();
    const second = await spawnServer(env);
    processes.push(second);
    expect((await second.started).code, second.output()).toBeNull();
    const replicas = [first, second];

    const session = { id: await on(first).start({ questionIds: ['amazon-32', 'amazon-31', 'amazon-33'], maxFollowUps: 0 }) };
    await body(on(second).answer(session.id, ANSWER), 200);

    cluster.pause();
    // Longer than the lease and several recovery rounds: before, the first failed round ended the process.
    const failedRounds = (r: ServerProcess) => r.output().match(/"event":"recovery_failed"/g)?.length ?? 0;
    for (const r of replicas) {
      await waitFor(async () => (failedRounds(r) >= 3 ? true : undefined), 20_000, 'three failed recovery rounds');
    }
    for (const r of replicas) {
      expect(r.child.exitCode, r.output()).toBeNull();
      const ready = await fetch(`${r.base}/api/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { database: { ok: boolean } }).database.ok).toBe(false);
      const health = await fetch(`${r.base}/api/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('degraded');
      const turn = await on(r).answer(session.id, ANSWER);
      expect(turn.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await body(turn, 503)).error.code).toBe('database_unavailable');
    }

    cluster.resume();
    for (const r of replicas) {
      await waitFor(async () => ((await fetch(`${r.base}/api/ready`)).status === 200 ? true : undefined), 20_000, 'ready again');
    }
    await body(on(first).answer(session.id, ANSWER), 200);
    const replay = await on(second).get(session.id);
    // Every acknowledged answer kept, once; none of the refused ones stored.
    expect(replay.messages.filter((m) => m.kind === 'answer')).toHaveLength(2);
    expect(replay.gradedCount).toBe(2);
    for (const r of replicas) {
      expect(r.child.exitCode).toBeNull();
      expect(r.output()).not.toMatch(/unhandled|uncaught/i);
    }
  }, 90_000);
});

describe('a PostgreSQL connection in use when the server stops', () => {
  it('fails the transaction that holds it, and never the process (no unhandled error event)', async () => {
    cluster = await startCluster();
    const { store } = start({ DATABASE_URL: cluster.url, DATABASE_SCHEMA: 'in_use', DATABASE_POOL_SIZE: '2' }, { log: () => {} });
    await store.ready;
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      // Between two queries of a transaction, its connection is checked out of the pool: the
      // server's "terminating connection" message arrives on a client no pool listener covers.
      const held = store.transaction(async (tx) => {
        await tx.messages('none');
        cluster!.pause();
        await tx.messages('none');
      });
      await expect(held).rejects.toThrow();
      cluster.resume();
      await waitFor(async () => ((await store.ping().catch(() => false)) ? true : undefined), 20_000, 'PostgreSQL back');
    } finally {
      process.off('uncaughtException', onError);
      await store.close();
    }
    expect(errors).toEqual([]);
  }, 60_000);
});
