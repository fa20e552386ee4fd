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
 * placeholders; times are values, never frozen defaults): for the calls a turn makes many times,
 * where building and compiling the SQL again each time would cost more than running it.
 */
export function prepared<T>(make: (db: Db) => T): (db: Db) => T {
  const byConnection = new WeakMap<Db, T>();
  return (db) => {
    let statement = byConnection.get(db);
    if (statement === undefined) byConnection.set(db, (statement = make(db)));
    return statement;
  };
}
