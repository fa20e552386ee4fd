import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as pg from '../src/db/postgres/schema.js';
import * as sqlite from '../src/db/sqlite/schema.js';
import Database from 'better-sqlite3';
import pgDriver from 'pg';
import { SnapshotCache } from '../src/db/shared.js';
import { body, makeApp, testDatabase } from './helpers/app.js';

/** Each table as `name: column:type:notNull`, in a form both dialects share. */
function shape(tables: Record<string, unknown>) {
  const out: Record<string, string[]> = {};
  for (const t of Object.values(tables)) {
    if (!t || typeof t !== 'object' || !(Symbol.for('drizzle:IsDrizzleTable') in t)) continue;
    const columns = getTableColumns(t as Table);
    out[getTableName(t as Table)] = Object.values(columns)
      // drizzle's pg-core has no bytea column: ours is a custom type holding a Buffer, as SQLite's blob does.
      .map(
        (c) =>
          `${c.name}:${c.dataType === 'custom' && c.getSQLType() === 'bytea' ? 'buffer' : c.dataType}:${c.notNull ? 'not null' : 'null'}:${c.primary ? 'pk' : ''}`,
      )
      .sort();
  }
  return out;
}

describe('the two schemas', () => {
  it('have the same tables and columns, with the same JavaScript types and nullability', () => {
    const [a, b] = [shape(sqlite), shape(pg)];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(Object.keys(a).length).toBeGreaterThanOrEqual(12);
    for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
  });
});

describe('the store', () => {
  it('rolls a transaction back whole when it fails, and keeps what committed', async () => {
    const { deps } = makeApp();
    await deps.store.ready;
    const at = new Date();
    await deps.store.insertUser({ id: 'u1', name: 'kept', createdAt: at.toISOString() });
    await expect(
      deps.store.transaction(async (tx) => {
        await tx.insertUser({ id: 'u2', name: 'rolled-back', createdAt: at.toISOString() });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await deps.store.listUsers()).map((u) => u.name)).toEqual(['kept']);
  });

  it('gives a lapsed turn claim to one claimant only, however many ask at once', async () => {
    const { deps, client } = makeApp();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32'] } }), 201)).id);
    const now = new Date();
    for (const id of ids)
      expect(await deps.store.claimTurn(id, 'crashed-replica', new Date(now.getTime() - 60_000), new Date(now.getTime() - 1000))).toBe(
        true,
      );
    const until = new Date(now.getTime() + 30_000);
    const claims = await Promise.all(['a', 'b', 'c'].map((owner) => deps.store.claimLapsed(owner, now, until, 100)));
    expect(claims.flat().sort()).toEqual([...ids].sort());
    // and a live claim is not lapsed
    expect(await deps.store.claimLapsed('d', now, until, 100)).toEqual([]);
    expect(await deps.store.claimTurn(ids[0]!, 'e', now, until)).toBe(false);
  });

  it('counts rate-limit hits in a window shared by every process, and starts a new window when it ends', async () => {
    const { deps } = makeApp();
    const t0 = new Date('2030-01-01T00:00:00Z');
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push((await deps.store.hit('model:alice', 60_000, t0)).hits);
    expect(hits).toEqual([1, 2, 3]);
    expect((await deps.store.hit('model:alice', 60_000, t0, -1)).hits).toBe(2);
    const later = await deps.store.hit('model:alice', 60_000, new Date(t0.getTime() + 61_000));
    expect(later).toEqual({ hits: 1, resetAt: new Date(t0.getTime() + 121_000) });
    expect((await deps.store.hit('model:bob', 60_000, t0)).hits).toBe(1);
  });
});

describe('the questions as they were asked, cached', () => {
  const stored = (id: number) => JSON.stringify({ id: `q-${id}`, prompt: `Question ${id}` });
  it('reads only the ones it lacks, at once, and gives each in its place', async () => {
    const cache = new SnapshotCache();
    cache.remember(2, stored(2));
    const reads: number[][] = [];
    const snaps = await cache.getMany([3, 2, 1, 3], (missing) => {
      reads.push(missing);
      return missing.map((id) => [id, id === 1 ? null : stored(id)] as [number, string | null]);
    });
    expect(reads).toEqual([[3, 1]]);
    expect(snaps.map((s) => s?.prompt ?? null)).toEqual(['Question 3', 'Question 2', null, 'Question 3']);
    expect(await cache.getMany([1, 3], () => expect.unreachable('read again'))).toEqual([null, snaps[0]]);
  });

  it('keeps what it had cached when reads meanwhile push it out', async () => {
    const cache = new SnapshotCache();
    cache.remember(1, stored(1));
    const snaps = await cache.getMany([1, 2], async () => {
      // Another request's reads fill the cache in the meantime.
      for (let id = 100; id < 6000; id++) cache.remember(id, stored(id));
      return [[2, stored(2)]];
    });
    expect(snaps.map((s) => s?.prompt)).toEqual(['Question 1', 'Question 2']);
  });
});

describe('a database migrated by a newer mockloop', () => {
  it('is refused at start-up, naming its migrations and the ones this version knows', async () => {
    const env = testDatabase({ persistent: true });
    const { deps } = makeApp(env);
    await deps.store.ready;
    // A newer version added a migration this code does not have.
    const later = Date.now() + 86_400_000;
    if (deps.store.kind === 'sqlite') {
      const raw = new Database(env.DATABASE_PATH!);
      raw.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('from-the-future', later);
      raw.close();
    } else {
      const client = new pgDriver.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(`insert into "${env.DATABASE_SCHEMA}"."__drizzle_migrations" (hash, created_at) values ($1, $2)`, [
        'from-the-future',
        later,
      ]);
      await client.end();
    }
    await deps.store.close();
    const reopen = async () => {
      const { deps: again } = makeApp(env);
      await again.store.ready;
    };
    await expect(reopen()).rejects.toThrow(
      /was migrated by a newer version of mockloop: it has \d+ migrations, the latest from \d{4}-.*this version knows \d+, up to \d{4}_\w+/,
    );
  });
});

describe('turn claims', () => {
  it('are taken over only once they have lapsed, by one claimer, and never while they hold', async () => {
    const { deps, client } = makeApp();
    await deps.store.ready;
    const { id } = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32'] } }), 201);
    const { store } = deps;
    const t0 = new Date('2026-12-03T10:00:00.000Z');
    const later = (ms: number) => new Date(t0.getTime() + ms);
    expect(await store.claimTurn(id, 'replica-a', t0, later(10_000))).toBe(true);
    // Held by a: b cannot take it, and it is not lapsed, just before its end.
    expect(await store.claimTurn(id, 'replica-b', later(9_999), later(20_000))).toBe(false);
    expect(await store.claimLapsed('replica-b', later(9_999), later(20_000), 10)).toEqual([]);
    // Its holder renews it freely.
    expect(await store.claimTurn(id, 'replica-a', later(5_000), later(10_000))).toBe(true);
    // Once lapsed, one claimer takes it, and the next sees it held again.
    expect(await store.claimLapsed('replica-b', later(10_001), later(20_000), 10)).toEqual([id]);
    expect(await store.claimLapsed('replica-c', later(10_002), later(20_000), 10)).toEqual([]);
    expect(await store.claimTurn(id, 'replica-a', later(10_003), later(20_000))).toBe(false);
    expect(await store.claimTurn(id, 'replica-c', later(20_001), later(30_000))).toBe(true);
  });
});
