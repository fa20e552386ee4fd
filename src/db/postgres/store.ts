import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import type { Tracer } from '@opentelemetry/api';
import type { BankEntry } from '../../bank/schema.js';
import { transactionSpan } from '../../observability/db-spans.js';
import { type DatabaseConfig, withoutPassword } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { refuseNewer } from '../migrations.js';
import { bankRow, hashOf, SnapshotCache } from '../shared.js';
import type { Areas, Store } from '../store.js';
import { accountsArea } from './accounts.js';
import { type Conn, count, type Db, type PostgresContext } from './context.js';
import { gradesArea } from './grades.js';
import { limitsArea } from './limits.js';
import { messagesArea } from './messages.js';
import { readModelsArea } from './read-models.js';
import { recordingsArea } from './recordings.js';
import { questions } from './schema.js';
import { sessionsArea } from './sessions.js';
import { codeRunsArea } from './code-runs.js';
import { storiesArea } from './stories.js';
import { turnsArea } from './turns.js';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/pg', import.meta.url));

/** The calls of the areas (`./sessions.ts` and the others) are the store's own methods. */
export interface PostgresStore extends Areas {}

/**
 * The PostgreSQL store, for several stateless replicas on one database (node-postgres pool).
 * Connecting, migrating and loading the bank happen in the background (`ready`); migrations and
 * the bank load hold an advisory lock, so replicas starting together do it once.
 *
 * Correct with several replicas: a turn's claim is one conditional UPDATE of the session row
 * (PostgreSQL runs two on the same row one after the other, the second seeing the first's
 * claim), so two replicas never run the same session's turn at once; claims are leases in the
 * row, and lapsed ones are taken with `FOR UPDATE SKIP LOCKED`, each by one replica;
 * idempotency keys and grades are unique constraints; rate limits and budgets are rows.
 */
export class PostgresStore implements PostgresContext {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly ready: Promise<void>;
  private readonly pool: pg.Pool;
  private readonly db: Db;
  readonly snapshots = new SnapshotCache();
  readonly inTransaction: Conn | undefined = undefined;
  readonly preparedStatements: boolean;

  poolUse() {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  private readonly schema: string;

  constructor(
    config: Extract<DatabaseConfig, { kind: 'postgres' }>,
    bank: BankEntry[] = [],
    /** Each transaction a span, when traces are on. */
    private readonly tracer?: Tracer,
  ) {
    this.schema = config.schema;
    this.preparedStatements = config.preparedStatements;
    this.location = `${withoutPassword(config.url)} (schema ${config.schema})`;
    this.pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize,
      options: `-c search_path=${config.schema}`,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // A client losing its connection (a database stopped or restarted) must not take the process
    // down: the pool's listener covers idle clients; one checked out (between the queries of a
    // transaction) emits 'error' on itself. The query that needs it fails (503) and the pool
    // drops the broken client when it is released.
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => client.on('error', () => {}));
    this.db = drizzle(this.pool);
    this.ready = this.prepare(config.schema, bank).catch((e: unknown) => {
      throw new ConfigError(`DATABASE_URL=${withoutPassword(config.url)}: cannot use the PostgreSQL database: ${(e as Error).message}`, {
        cause: e,
      });
    });
    // Failures are reported where `ready` is awaited; never as an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** Creates the schema, applies pending migrations and loads the bank, under an advisory lock. */
  private async prepare(schemaName: string, bank: BankEntry[]) {
    const client = await this.pool.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [`mockloop:${schemaName}`]);
      try {
        await migrate(client, schemaName);
        await drizzle(client).transaction((tx) => this.loadBankWith(tx, bank, new Date()));
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [`mockloop:${schemaName}`]);
      }
    } finally {
      client.release();
    }
  }

  async conn(): Promise<Conn> {
    await this.ready;
    return this.inTransaction ?? this.db;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    await this.ready;
    // The same store, bound to the transaction: its calls run in it.
    return transactionSpan(this.tracer, { system: 'postgresql', namespace: this.schema }, () =>
      this.db.transaction((conn) => fn(Object.create(this, { inTransaction: { value: conn } }))),
    );
  }

  /** A statement run alone commits on its own: with traces on, it is a transaction's span, as a transaction is. */
  statementSpan<T>(run: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return run();
    return transactionSpan(this.tracer, { system: 'postgresql', namespace: this.schema }, run);
  }

  async ping() {
    const db = await this.conn();
    await db.execute(sql`select 1`);
    return true;
  }

  async close() {
    await this.ready.catch(() => {});
    await this.pool.end();
  }

  async loadBank(entries: BankEntry[], at: Date) {
    await this.ready;
    return this.db.transaction((tx) => this.loadBankWith(tx, entries, at));
  }

  private async loadBankWith(tx: Conn, entries: BankEntry[], at: Date) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const known = new Map((await tx.select({ id: questions.id, hash: questions.contentHash }).from(questions)).map((r) => [r.id, r.hash]));
    for (const e of entries) {
      const contentHash = hashOf(e);
      const existing = known.get(e.id);
      if (existing === contentHash) {
        counts.unchanged++;
        continue;
      }
      const row = bankRow(e, contentHash, at);
      if (existing !== undefined) {
        await tx.update(questions).set(row).where(eq(questions.id, e.id));
        counts.updated++;
      } else {
        await tx.insert(questions).values(row);
        counts.inserted++;
      }
    }
    return counts;
  }

  async questionCount() {
    const db = await this.conn();
    return (await db.select({ n: count }).from(questions))[0]?.n ?? 0;
  }
}

// The areas' calls, each written once for PostgreSQL beside its SQLite twin; `tsc` checks that none is missing.
const areas: Areas = {
  ...sessionsArea,
  ...turnsArea,
  ...messagesArea,
  ...gradesArea,
  ...recordingsArea,
  ...readModelsArea,
  ...accountsArea,
  ...limitsArea,
  ...storiesArea,
  ...codeRunsArea,
};
Object.assign(PostgresStore.prototype, areas);

/**
 * Applies the drizzle-kit migrations in drizzle/pg that the schema has not had yet, recorded in
 * its `__drizzle_migrations` table as drizzle's own migrator does. Done here rather than by
 * drizzle's migrator because drizzle-kit writes `"public".` into foreign keys, and the tables
 * live in DATABASE_SCHEMA.
 */
async function migrate(client: pg.PoolClient, schemaName: string) {
  const table = `"${schemaName}"."__drizzle_migrations"`;
  await client.query(`create schema if not exists "${schemaName}"`);
  await client.query(`create table if not exists ${table} (id serial primary key, hash text not null, created_at bigint)`);
  const last = await client.query<{ created_at: string; count: string }>(
    `select max(created_at) as created_at, count(*) as count from ${table}`,
  );
  const since = Number(last.rows[0]?.created_at ?? -1);
  refuseNewer(
    { count: Number(last.rows[0]?.count ?? 0), latest: last.rows[0]?.created_at == null ? undefined : since },
    MIGRATIONS,
    `The PostgreSQL schema "${schemaName}"`,
  );
  const pending = readMigrationFiles({ migrationsFolder: MIGRATIONS }).filter((m) => m.folderMillis > since);
  if (!pending.length) return;
  await client.query('begin');
  try {
    for (const m of pending) {
      for (const statement of m.sql) await client.query(statement.replaceAll('"public".', `"${schemaName}".`));
      await client.query(`insert into ${table} (hash, created_at) values ($1, $2)`, [m.hash, m.folderMillis]);
    }
    await client.query('commit');
  } catch (e) {
    await client.query('rollback');
    throw e;
  }
}
