import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SnapshotCache } from '../shared.js';
import type { Store } from '../store.js';

export type Db = BetterSQLite3Database & { $client: Database.Database };

/**
 * What the calls in the area files run on: `this` in them is the store (`./store.ts`), or a
 * transaction's view of it, which holds the connection.
 */
export interface SqliteContext extends Store {
  readonly db: Db;
  readonly snapshots: SnapshotCache;
  /** Waits while another caller's transaction holds the connection. */
  free(): Promise<void>;
  /** Nothing deleted stays readable in the write-ahead log: it is checkpointed into the file, whose deleted rows are zeroed (secure_delete). */
  scrub(): void;
}

export const p = sql.placeholder;

/**
 * A statement prepared once per connection, on its first use (drizzle `.prepare()` with
 * placeholders; times are values, never frozen defaults). Only for the statements every turn
 * runs (an answer runs some twenty): there the plain query, built and compiled again each call,
 * costs 25–180 µs against 1–50 µs prepared, and without them the answer turn serves about a third
 * fewer requests (`npm run bench:server`). Elsewhere (a whole session read when a page opens,
 * usage and rate limits beside a model call, the claim's heartbeat, health's `select 1`) the plain
 * query is kept: what preparing would save there does not show.
 */
export function prepared<T>(make: (db: Db) => T): (db: Db) => T {
  const byConnection = new WeakMap<Db, T>();
  return (db) => {
    let statement = byConnection.get(db);
    if (statement === undefined) byConnection.set(db, (statement = make(db)));
    return statement;
  };
}
