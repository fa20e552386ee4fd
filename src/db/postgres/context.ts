import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { SnapshotCache } from '../shared.js';
import type { Store } from '../store.js';

export type Db = NodePgDatabase;
export type Conn = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * What the calls in the area files run on: `this` in them is the store (`./store.ts`), or a
 * transaction's view of it, bound to the transaction.
 */
export interface PostgresContext extends Store {
  /** On a transaction's `tx`: the transaction its calls run in. */
  readonly inTransaction: Conn | undefined;
  readonly snapshots: SnapshotCache;
  /** The transaction a call is part of, or the pool. */
  conn(): Promise<Conn>;
}

/** node-postgres reads bigint counts as strings. */
export const count = sql<number>`count(*)`.mapWith(Number);
