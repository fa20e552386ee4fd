import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { QueryResult, QueryResultRow } from 'pg';
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
  /** Whether a turn's statements are prepared once per connection (DATABASE_PREPARED_STATEMENTS). */
  readonly preparedStatements: boolean;
  /** The transaction a call is part of, or the pool. */
  conn(): Promise<Conn>;
}

/** node-postgres reads bigint counts as strings. */
export const count = sql<number>`count(*)`.mapWith(Number);

const dialect = new PgDialect();
/** Statement names by text: the same text always has the same name, on every connection. */
const names = new Map<string, string>();

/**
 * Runs one of a turn's statements. With prepared statements on, it is a prepared statement named
 * after its text: PostgreSQL parses and plans it once per connection, then only binds and runs it
 * (a turn's biggest statement, the claim with its reads, took 1.1 ms on this machine's server
 * unprepared, 0.35 ms prepared).
 * Only statements whose text comes from the code, never from data, go through here, so their
 * names are few. Each returns JSON and counts (or nothing), so a migration that adds a column
 * under a running replica changes no result type: PostgreSQL plans them again by itself.
 */
export async function runTurnStatement<T extends QueryResultRow>(ctx: PostgresContext, db: Conn, query: SQL): Promise<QueryResult<T>> {
  if (!ctx.preparedStatements) return (await db.execute(query)) as QueryResult<T>;
  const built = dialect.sqlToQuery(query);
  let name = names.get(built.sql);
  if (!name) {
    name = `mockloop_${createHash('sha256').update(built.sql).digest('base64url').slice(0, 32)}`;
    names.set(built.sql, name);
  }
  return (await db._.session.prepareQuery(built, undefined, name, false).execute()) as QueryResult<T>;
}
