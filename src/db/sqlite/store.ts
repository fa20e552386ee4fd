import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Tracer } from '@opentelemetry/api';
import type { BankEntry } from '../../bank/schema.js';
import { transactionSpan } from '../../observability/db-spans.js';
import { AppError, ConfigError } from '../../errors.js';
import { refuseNewer } from '../migrations.js';
import { bankRow, hashOf, SnapshotCache } from '../shared.js';
import type { Areas, Store } from '../store.js';
import { accountsArea } from './accounts.js';
import type { Db, SqliteContext } from './context.js';
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

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

/** How long a statement waits for a lock held by another process, blocking: short, so nothing else stalls. */
const BUSY_MS = 20;
/** At start-up (migrations, the bank) another process is waited for this long. */
const STARTUP_BUSY_MS = 5000;
/** How long a call keeps trying for a lock held elsewhere, a short wait at a time, before a 503 database_busy. */
export const BUSY_WAIT_MS = 3000;

const isBusy = (e: unknown) => /^SQLITE_(BUSY|LOCKED)/.test((e as { code?: string })?.code ?? '');

/**
 * Runs `fn`, and while the database is locked by another process (a backup, a `sqlite3` shell, a
 * long import) tries again after a short pause, off the event loop, until BUSY_WAIT_MS: then a
 * 503 `database_busy` with Retry-After. Health, streams and lease renewals go on meanwhile.
 */
async function whenFree<T>(fn: () => T | Promise<T>): Promise<T> {
  const until = Date.now() + BUSY_WAIT_MS;
  for (let pause = 10; ; pause = Math.min(200, pause * 2)) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (Date.now() + pause > until) {
        throw new AppError('database_busy', 'The database is locked by another program (a backup or an import?): try again in a moment', {
          cause: e,
        });
      }
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/**
 * Every call on the store outside a transaction tries again while the database is busy; inside a
 * transaction the write lock is already held. A call that failed busy wrote nothing, so trying it
 * again is safe.
 */
function retryWhenBusy(store: SqliteStore) {
  const proto = Object.getPrototypeOf(store) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    // The public calls (async), the areas' included; private helpers run inside them.
    if (name === 'transaction' || typeof method !== 'function' || method.constructor.name !== 'AsyncFunction') continue;
    Object.defineProperty(store, name, {
      value: function (this: SqliteStore, ...args: unknown[]) {
        if ((this as unknown as { holdsConnection: boolean }).holdsConnection) return method.apply(this, args);
        return whenFree(() => method.apply(this, args));
      },
    });
  }
}

/** The calls of the areas (`./sessions.ts` and the others) are the store's own methods. */
export interface SqliteStore extends Areas {}

/**
 * The SQLite store: one file (or `:memory:`), one connection per process, better-sqlite3's
 * synchronous calls behind the async interface. Several processes may share the file: the busy
 * timeout is set before anything else, a transaction takes the write lock first (BEGIN
 * IMMEDIATE), and deleted rows are overwritten (secure_delete) and checkpointed out of the WAL.
 *
 * Within the process, the one connection carries one transaction at a time: while a
 * transaction's callback is awaited, calls on the store wait for it to end, and calls on its `tx`
 * (a view of the store that holds the connection) run in it.
 */
export class SqliteStore implements SqliteContext {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  readonly ready: Promise<void>;
  readonly db: Db;
  readonly snapshots = new SnapshotCache();
  /** True on a transaction's `tx`: it holds the connection. */
  private readonly holdsConnection: boolean = false;
  /** Settles when the open transaction ends; null when none is open. */
  private open: Promise<void> | null = null;

  /** Opens (or creates) the file, sets the pragmas and applies pending migrations; a failure names DATABASE_PATH and the file. */
  constructor(
    path: string,
    bank: BankEntry[] = [],
    /** Each transaction a span, when traces are on. */
    private readonly tracer?: Tracer,
  ) {
    this.location = path === ':memory:' ? path : resolve(path);
    try {
      // Answers, transcripts and tokens' hashes are the candidate's own: the folder and files are theirs alone.
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const sqlite = new Database(path);
      // Long enough to wait out another process's migrations and bank load at start-up.
      sqlite.pragma(`busy_timeout = ${STARTUP_BUSY_MS}`);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('secure_delete = ON');
      this.db = drizzle(sqlite);
      migrateAlongside(this.db, `DATABASE_PATH=${path} (${this.location})`);
    } catch (e) {
      throw new ConfigError(`DATABASE_PATH=${path}: cannot use the SQLite database at ${this.location}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    // Immediate, so another process loading the same bank waits for this one instead of failing.
    this.db.$client.transaction(() => this.loadBankNow(bank, new Date())).immediate();
    // From now on a lock held elsewhere is waited for a moment at a time, off the event loop (`whenFree`).
    this.db.$client.pragma(`busy_timeout = ${BUSY_MS}`);
    if (path !== ':memory:') for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    this.ready = Promise.resolve();
    retryWhenBusy(this);
  }

  async free(): Promise<void> {
    if (this.holdsConnection) return;
    while (this.open) await this.open;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.holdsConnection) return fn(this);
    return transactionSpan(this.tracer, { system: 'sqlite', namespace: this.location }, async () => {
      const client = this.db.$client;
      let end!: () => void;
      // The connection is held from the moment the write lock is taken, not while it is waited for:
      // meanwhile other calls (health, a replay) go on.
      await whenFree(async () => {
        // Checked again right before BEGIN, in the same synchronous step: another transaction that
        // took the connection while this one waited is waited for too.
        while (this.open) await this.open;
        client.exec('BEGIN IMMEDIATE');
        this.open = new Promise<void>((r) => (end = r));
      });
      try {
        try {
          // The same store, holding the connection: its calls do not wait for the transaction they are in.
          const tx: SqliteStore = Object.create(this, { holdsConnection: { value: true } });
          const result = await fn(tx);
          client.exec('COMMIT');
          return result;
        } catch (e) {
          if (client.inTransaction) client.exec('ROLLBACK');
          throw e;
        }
      } finally {
        this.open = null;
        end();
      }
    });
  }

  scrub() {
    if (!this.open) this.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  }

  async ping() {
    await this.free();
    return this.db.get(sql`select 1`) !== undefined;
  }

  async close() {
    await this.free();
    this.db.$client.close();
  }

  async loadBank(entries: BankEntry[], at: Date) {
    await this.free();
    return this.db.$client.transaction(() => this.loadBankNow(entries, at)).immediate();
  }

  /** Idempotent: unchanged entries are left alone, changed ones updated in place (ids are stable). */
  private loadBankNow(entries: BankEntry[], at: Date) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const e of entries) {
      const contentHash = hashOf(e);
      const existing = this.db.select({ hash: questions.contentHash }).from(questions).where(eq(questions.id, e.id)).get();
      if (existing?.hash === contentHash) {
        counts.unchanged++;
        continue;
      }
      const row = bankRow(e, contentHash, at);
      if (existing) {
        this.db.update(questions).set(row).where(eq(questions.id, e.id)).run();
        counts.updated++;
      } else {
        this.db.insert(questions).values(row).run();
        counts.inserted++;
      }
    }
    return counts;
  }

  async questionCount() {
    await this.free();
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(questions)
        .get()?.n ?? 0
    );
  }
}

// The areas' calls, each written once for SQLite beside its PostgreSQL twin; `tsc` checks that none is missing.
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
Object.assign(SqliteStore.prototype, areas);

/**
 * Applies pending migrations, also when another process starting on the same file does it at the
 * same moment: drizzle reads which migrations are applied before it takes the write lock, so the
 * slower of two processes can find its migration already applied ("already exists") or the file
 * locked. It then waits a little and tries again, and on the next try sees them applied.
 */
function migrateAlongside(db: Db, where: string) {
  const migrated = db.$client.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (migrated) {
    const applied = db.$client.prepare('select count(*) as count, max(created_at) as latest from __drizzle_migrations').get() as {
      count: number;
      latest: number | null;
    };
    refuseNewer({ count: applied.count, latest: applied.latest ?? undefined }, MIGRATIONS, where);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS });
      return;
    } catch (e) {
      if (!isContention(e) || attempt >= 20) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 * attempt);
    }
  }
}

/** Busy, locked or "already exists", here or in a cause: drizzle wraps the driver's error in its own ("Failed to run the query …"). */
function isContention(e: unknown): boolean {
  for (let err = e; err instanceof Error; err = err.cause) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') || /already exists|database is locked/i.test(err.message)) return true;
  }
  return false;
}
