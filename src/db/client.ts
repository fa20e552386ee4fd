import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { ConfigError } from '../errors.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens (or creates) the database, sets the pragmas and applies pending migrations. Several
 * processes may share the file: the busy timeout is set before anything else (switching to WAL
 * takes a lock too), and deleted rows are overwritten (secure_delete) so a deleted answer is gone
 * from the file, not just unlinked. A failure names DATABASE_PATH and the file.
 */
export function openDatabase(path: string): Db {
  const where = path === ':memory:' ? path : resolve(path);
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new Database(path);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('secure_delete = ON');
    const db = drizzle(sqlite, { schema });
    migrateAlongside(db);
    return db;
  } catch (e) {
    const reason = (e as Error).message;
    throw new ConfigError(`DATABASE_PATH=${path}: cannot use the SQLite database at ${where}: ${reason}`, { cause: e });
  }
}

/**
 * Applies pending migrations, also when another process starting on the same file does it at the
 * same moment: drizzle reads which migrations are applied before it takes the write lock, so the
 * slower of two processes can find its migration already applied ("already exists") or the file
 * locked. It then waits a little and tries again, and on the next try sees them applied.
 */
function migrateAlongside(db: Db) {
  for (let attempt = 1; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS });
      return;
    } catch (e) {
      const contention =
        (e as { code?: string }).code?.startsWith('SQLITE_BUSY') || /already exists|database is locked/i.test((e as Error).message);
      if (!contention || attempt >= 20) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 * attempt);
    }
  }
}

/** Moves the write-ahead log into the database file and empties it, so deleted rows leave no copy behind. */
export function checkpoint(db: Db): void {
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
}

const pings = new WeakMap<Db, Database.Statement>();

/** True when the database answers a trivial query (a statement prepared once per database). */
export function ping(db: Db): boolean {
  let stmt = pings.get(db);
  if (!stmt) pings.set(db, (stmt = db.$client.prepare('select 1')));
  return stmt.get() !== undefined;
}
