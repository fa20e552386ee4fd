import { createHash } from 'node:crypto';
import { type Placeholder, type Query, sql, type SQL } from 'drizzle-orm';
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
  /** Runs a statement as a span of its own when it is not part of a transaction (`transactionSpan`). */
  statementSpan<T>(run: () => Promise<T>): Promise<T>;
}

/** node-postgres reads bigint counts as strings. */
export const count = sql<number>`count(*)`.mapWith(Number);

const dialect = new PgDialect();

/**
 * One of a turn's statements, built once: drizzle's query, with placeholders for its values
 * (`sql.placeholder`), turned into its text on first use and filled at each call, as the SQLite
 * store prepares its own (so every value is a placeholder: a column's `$defaultFn` would be taken
 * once, when the text is built). Built at every call, a turn's three big statements cost about 0.5 ms of
 * this process's time. With DATABASE_PREPARED_STATEMENTS on, it is also a prepared statement on
 * the server, named after its text: parsed and planned once per connection, then only bound and
 * run (the claim with its reads took 1.1 ms of the server's time unprepared, 0.35 ms prepared).
 * Each returns JSON, counts or nothing, so a migration that adds a column under a running
 * replica changes no result type: PostgreSQL plans them again by itself.
 */
export function turnStatement<T extends QueryResultRow = QueryResultRow>(build: (db: Conn) => SQL) {
  let built: { query: Query; name: string } | undefined;
  return async (ctx: PostgresContext, db: Conn, values: Record<string, unknown>): Promise<QueryResult<T>> => {
    if (!built) {
      const query = dialect.sqlToQuery(build(db));
      built = { query, name: `mockloop_${createHash('sha256').update(query.sql).digest('base64url').slice(0, 32)}` };
    }
    const statement = db._.session.prepareQuery(built.query, undefined, ctx.preparedStatements ? built.name : undefined, false);
    return (await ctx.statementSpan(() => statement.execute(values))) as QueryResult<T>;
  };
}

/** `values` with each key prefixed, for the placeholders `placeholders(prefix, …)` made. */
export const prefixed = <V extends Record<string, unknown>>(prefix: string, values: V): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));

/** A placeholder for each key of `keys`, named with `prefix`: the values of a row, filled at each call. */
export const placeholders = <K extends string>(prefix: string, keys: Record<K, true>): Record<K, Placeholder> =>
  Object.fromEntries(Object.keys(keys).map((k) => [k, sql.placeholder(`${prefix}${k}`)])) as Record<K, Placeholder>;
