import type { BankEntry } from '../bank/schema.js';
import type { AccountsArea } from './areas/accounts.js';
import type { GradesArea } from './areas/grades.js';
import type { LimitsArea } from './areas/limits.js';
import type { MessagesArea } from './areas/messages.js';
import type { ReadModelsArea } from './areas/read-models.js';
import type { RecordingsArea } from './areas/recordings.js';
import type { SessionsArea } from './areas/sessions.js';
import type { CodeRunsArea } from './areas/code-runs.js';
import type { StoriesArea } from './areas/stories.js';
import type { TurnsArea } from './areas/turns.js';

/**
 * What mockloop keeps, behind one interface with two implementations: SQLite (one file, one
 * process or a few on one machine; `src/db/sqlite`) and PostgreSQL (several replicas on one
 * database; `src/db/postgres`). The interview loop, the read models and the accounts are written
 * once against this interface; each implementation keeps its own dialect's queries, locks and
 * error codes. Times are ISO-8601 strings in UTC, always passed in by the caller.
 *
 * The calls come by area, one interface each in `areas/`, written once a dialect in a file of the
 * same name (`sqlite/sessions.ts` beside `postgres/sessions.ts`); the rows are in `rows.ts`.
 */
export interface Store extends Areas {
  /** `sqlite` or `postgres`, and where (a file path, or the server without credentials), for logs. */
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  /** The connection pool's use, for metrics (PostgreSQL; SQLite has no pool). */
  poolUse?(): { total: number; idle: number; waiting: number };
  /** Resolves once the database is reachable, migrated and holds the bank; rejects with a ConfigError naming the setting. */
  readonly ready: Promise<void>;

  /**
   * Runs `fn` in one transaction, on `tx`: the calls made on `tx` are part of it; it commits
   * when `fn` resolves and rolls back when it throws. Writers are serialised: SQLite takes its
   * write lock first (BEGIN IMMEDIATE), PostgreSQL locks the rows a call asks to lock (`lock:
   * true` on `session`). A transaction started on `tx` is part of the same one.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  // The bank (a copy for joins and history; reads come from memory)
  loadBank(entries: BankEntry[], at: Date): Promise<{ inserted: number; updated: number; unchanged: number }>;
  questionCount(): Promise<number>;
}

/** The calls of every area: what a dialect's area files add up to. */
export interface Areas
  extends
    SessionsArea,
    TurnsArea,
    MessagesArea,
    GradesArea,
    RecordingsArea,
    ReadModelsArea,
    AccountsArea,
    LimitsArea,
    StoriesArea,
    CodeRunsArea {}
