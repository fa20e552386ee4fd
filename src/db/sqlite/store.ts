import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BankEntry } from '../../bank/schema.js';
import { AppError, ConfigError } from '../../errors.js';
import { refuseNewer } from '../migrations.js';
import { bankRow, hashOf, PROBE_OWNER, SnapshotCache } from '../shared.js';
import { mergeStats, type NewMessage, type RecordingRow, type SessionRow, type SessionStats, type Store, tokenColumns } from '../store.js';
import * as schema from './schema.js';
import {
  apiTokens,
  debriefs,
  grades,
  idempotencyKeys,
  logins,
  messages,
  questions,
  rateLimits,
  writeProbes,
  recordings,
  sessionQuestions,
  sessions,
  usage,
  users,
} from './schema.js';

type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

const p = sql.placeholder;
const { question: _snapshot, ...questionColumns } = getTableColumns(sessionQuestions);
const { audio: _audio, ...recordingStored } = getTableColumns(recordings);
const recordingColumns = { ...recordingStored, hasAudio: sql<number>`${recordings.audio} is not null` };

/** The statements a turn runs, prepared once (drizzle `.prepare()` with placeholders; times are values, never frozen defaults). */
function prepare(db: Db) {
  return {
    session: db
      .select()
      .from(sessions)
      .where(eq(sessions.id, p('id')))
      .prepare(),
    questions: db
      .select(questionColumns)
      .from(sessionQuestions)
      .where(eq(sessionQuestions.sessionId, p('sessionId')))
      .orderBy(asc(sessionQuestions.position))
      .prepare(),
    snapshot: db
      .select({ question: sql<string | null>`${sessionQuestions.question}` })
      .from(sessionQuestions)
      .where(eq(sessionQuestions.id, p('id')))
      .prepare(),
    questionMessages: db
      .select()
      .from(messages)
      .where(eq(messages.sessionQuestionId, p('id')))
      .orderBy(asc(messages.id))
      .prepare(),
    sessionMessages: db
      .select()
      .from(messages)
      .where(eq(messages.sessionId, p('sessionId')))
      .orderBy(asc(messages.id))
      .prepare(),
    lastInterviewerMessage: db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, p('sessionId')), eq(messages.role, 'interviewer')))
      .orderBy(desc(messages.id))
      .limit(1)
      .prepare(),
    insertMessage: db
      .insert(messages)
      .values({
        sessionId: p('sessionId'),
        sessionQuestionId: p('sessionQuestionId'),
        role: p('role'),
        kind: p('kind'),
        content: p('content'),
        promptTokens: p('promptTokens'),
        completionTokens: p('completionTokens'),
        createdAt: p('at'),
      })
      .returning()
      .prepare(),
    insertGrade: db
      .insert(grades)
      .values({
        sessionId: p('sessionId'),
        sessionQuestionId: p('sessionQuestionId'),
        score: p('score'),
        grade: p('grade'),
        promptTokens: p('promptTokens'),
        completionTokens: p('completionTokens'),
        createdAt: p('at'),
      })
      .prepare(),
    grades: db
      .select()
      .from(grades)
      .where(eq(grades.sessionId, p('sessionId')))
      .prepare(),
    scores: db
      .select({ sessionQuestionId: grades.sessionQuestionId, score: grades.score })
      .from(grades)
      .where(eq(grades.sessionId, p('sessionId')))
      .prepare(),
    questionAnswered: db
      .update(sessionQuestions)
      .set({ answeredAt: sql`coalesce(${sessionQuestions.answeredAt}, ${p('at')})` })
      .where(eq(sessionQuestions.id, p('id')))
      .prepare(),
    questionState: db
      .update(sessionQuestions)
      .set({ state: sql`${p('state')}`, doneAt: sql`${p('doneAt')}` })
      .where(eq(sessionQuestions.id, p('id')))
      .prepare(),
    questionAsked: db
      .update(sessionQuestions)
      .set({ state: 'asked', askedAt: sql`${p('at')}` })
      .where(eq(sessionQuestions.id, p('id')))
      .prepare(),
    questionFollowedUp: db
      .update(sessionQuestions)
      .set({ followUps: sql`${sessionQuestions.followUps} + 1` })
      .where(eq(sessionQuestions.id, p('id')))
      .prepare(),
    sessionTouched: db
      .update(sessions)
      .set({ updatedAt: sql`${p('at')}` })
      .where(eq(sessions.id, p('id')))
      .prepare(),
    sessionMoved: db
      .update(sessions)
      .set({ currentPosition: sql`${p('position')}`, updatedAt: sql`${p('at')}` })
      .where(eq(sessions.id, p('id')))
      .prepare(),
    claim: db
      .update(sessions)
      .set({ turnClaimedBy: sql`${p('owner')}`, turnClaimedUntil: sql`${p('until')}` })
      .where(
        and(
          eq(sessions.id, p('id')),
          sql`(${sessions.turnClaimedBy} is null or ${sessions.turnClaimedBy} = ${p('owner')} or ${sessions.turnClaimedUntil} <= ${p('now')})`,
        ),
      )
      .prepare(),
    renew: db
      .update(sessions)
      .set({ turnClaimedUntil: sql`${p('until')}` })
      .where(and(eq(sessions.id, p('id')), eq(sessions.turnClaimedBy, p('owner'))))
      .prepare(),
    release: db
      .update(sessions)
      .set({ turnClaimedBy: null, turnClaimedUntil: null })
      .where(and(eq(sessions.id, p('id')), eq(sessions.turnClaimedBy, p('owner'))))
      .prepare(),
    idempotency: db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.sessionId, p('sessionId')), eq(idempotencyKeys.key, p('key'))))
      .prepare(),
    questionStats: db
      .select({
        questions: sql<number>`count(*)`,
        skipped: sql<number>`coalesce(sum(case when ${sessionQuestions.state} = 'skipped' then 1 else 0 end), 0)`,
      })
      .from(sessionQuestions)
      .where(eq(sessionQuestions.sessionId, p('sessionId')))
      .prepare(),
    gradeStats: db
      .select({
        graded: sql<number>`count(*)`,
        score: sql<number | null>`avg(${grades.score})`,
        promptTokens: sql<number>`coalesce(sum(${grades.promptTokens}), 0)`,
        completionTokens: sql<number>`coalesce(sum(${grades.completionTokens}), 0)`,
      })
      .from(grades)
      .where(eq(grades.sessionId, p('sessionId')))
      .prepare(),
    messageStats: db
      .select({
        promptTokens: sql<number>`coalesce(sum(${messages.promptTokens}), 0)`,
        completionTokens: sql<number>`coalesce(sum(${messages.completionTokens}), 0)`,
      })
      .from(messages)
      .where(eq(messages.sessionId, p('sessionId')))
      .prepare(),
    addUsage: db
      .insert(usage)
      .values({ userId: p('userId'), month: p('month'), promptTokens: p('promptTokens'), completionTokens: p('completionTokens') })
      .onConflictDoUpdate({
        target: [usage.userId, usage.month],
        set: {
          promptTokens: sql`${usage.promptTokens} + ${p('promptTokens')}`,
          completionTokens: sql`${usage.completionTokens} + ${p('completionTokens')}`,
        },
      })
      .prepare(),
    usage: db
      .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
      .from(usage)
      .where(and(eq(usage.userId, p('userId')), eq(usage.month, p('month'))))
      .prepare(),
    hit: db
      .insert(rateLimits)
      .values({ key: p('key'), hits: p('start'), resetAt: p('fresh') })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${rateLimits.resetAt} <= ${p('at')} then ${p('start')} else max(0, ${rateLimits.hits} + ${p('by')}) end`,
          resetAt: sql`case when ${rateLimits.resetAt} <= ${p('at')} then ${p('fresh')} else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt })
      .prepare(),
    ping: db.$client.prepare('select 1'),
  };
}

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
    // The public calls (async); private helpers run inside them.
    if (name === 'transaction' || typeof method !== 'function' || method.constructor.name !== 'AsyncFunction') continue;
    Object.defineProperty(store, name, {
      value: function (this: SqliteStore, ...args: unknown[]) {
        if ((this as unknown as { holdsConnection: boolean }).holdsConnection) return method.apply(this, args);
        return whenFree(() => method.apply(this, args));
      },
    });
  }
}

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
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  readonly ready: Promise<void>;
  private readonly db: Db;
  private readonly q: ReturnType<typeof prepare>;
  private readonly snapshots = new SnapshotCache();
  /** True on a transaction's `tx`: it holds the connection. */
  private readonly holdsConnection: boolean = false;
  /** Settles when the open transaction ends; null when none is open. */
  private open: Promise<void> | null = null;

  /** Opens (or creates) the file, sets the pragmas and applies pending migrations; a failure names DATABASE_PATH and the file. */
  constructor(path: string, bank: BankEntry[] = []) {
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
      this.db = drizzle(sqlite, { schema });
      migrateAlongside(this.db, `DATABASE_PATH=${path} (${this.location})`);
      this.q = prepare(this.db);
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

  /** Waits while another caller's transaction holds the connection. */
  private async free(): Promise<void> {
    if (this.holdsConnection) return;
    while (this.open) await this.open;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.holdsConnection) return fn(this);
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
  }

  async probeWrite(at: Date) {
    await this.free();
    this.db
      .insert(writeProbes)
      .values({ owner: PROBE_OWNER, at: at.toISOString() })
      .onConflictDoUpdate({ target: writeProbes.owner, set: { at: at.toISOString() } })
      .run();
  }

  async ping() {
    await this.free();
    return this.q.ping.get() !== undefined;
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

  // -------------------------------------------------------------------------------------------
  // Sessions

  async session(id: string) {
    await this.free();
    return this.q.session.get({ id });
  }

  async insertSession(row: SessionRow, rows: Parameters<Store['insertSession']>[1]) {
    await this.free();
    this.db.insert(sessions).values(row).run();
    return rows.map((r) =>
      this.db
        .insert(sessionQuestions)
        .values({ ...r, sessionId: row.id })
        .returning(questionColumns)
        .get(),
    );
  }

  async updateSession(id: string, set: Partial<SessionRow>) {
    await this.free();
    this.db.update(sessions).set(set).where(eq(sessions.id, id)).run();
  }

  async deleteSession(id: string) {
    await this.free();
    this.snapshots.clear();
    const deleted = this.db.delete(sessions).where(eq(sessions.id, id)).run().changes > 0;
    if (deleted) this.scrub();
    return deleted;
  }

  async questions(sessionId: string) {
    await this.free();
    return this.q.questions.all({ sessionId });
  }

  async snapshot(sessionQuestionId: number) {
    await this.free();
    return this.snapshots.get(sessionQuestionId, () => this.q.snapshot.get({ id: sessionQuestionId })?.question ?? null);
  }

  async questionMessages(sessionQuestionId: number) {
    await this.free();
    return this.q.questionMessages.all({ id: sessionQuestionId });
  }

  async messages(sessionId: string) {
    await this.free();
    return this.q.sessionMessages.all({ sessionId });
  }

  async lastInterviewerMessageId(sessionId: string) {
    await this.free();
    return this.q.lastInterviewerMessage.get({ sessionId })?.id ?? 0;
  }

  async insertMessage(m: NewMessage) {
    await this.free();
    return this.q.insertMessage.get({
      sessionId: m.sessionId,
      sessionQuestionId: m.sessionQuestionId,
      role: m.role,
      kind: m.kind,
      content: m.content,
      ...tokenColumns(m.usage),
      at: m.at.toISOString(),
    })!;
  }

  async insertGrade(g: Parameters<Store['insertGrade']>[0]) {
    await this.free();
    this.q.insertGrade.run({
      sessionId: g.sessionId,
      sessionQuestionId: g.sessionQuestionId,
      score: g.grade.score,
      grade: g.grade,
      ...tokenColumns(g.usage),
      at: g.at.toISOString(),
    });
  }

  async grades(sessionId: string) {
    await this.free();
    return this.q.grades.all({ sessionId });
  }

  async scores(sessionId: string) {
    await this.free();
    return this.q.scores.all({ sessionId });
  }

  async markAnswered(sessionQuestionId: number, at: Date) {
    await this.free();
    this.q.questionAnswered.run({ id: sessionQuestionId, at: at.toISOString() });
  }

  async setQuestionState(sessionQuestionId: number, state: Parameters<Store['setQuestionState']>[1], doneAt: Date | null = null) {
    await this.free();
    this.q.questionState.run({ id: sessionQuestionId, state, doneAt: doneAt?.toISOString() ?? null });
  }

  async askQuestion(sessionQuestionId: number, at: Date) {
    await this.free();
    this.q.questionAsked.run({ id: sessionQuestionId, at: at.toISOString() });
  }

  async countFollowUp(sessionQuestionId: number) {
    await this.free();
    this.q.questionFollowedUp.run({ id: sessionQuestionId });
  }

  async touch(sessionId: string, at: Date) {
    await this.free();
    this.q.sessionTouched.run({ id: sessionId, at: at.toISOString() });
  }

  async moveTo(sessionId: string, position: number, at: Date) {
    await this.free();
    this.q.sessionMoved.run({ id: sessionId, position, at: at.toISOString() });
  }

  async saveDebrief(sessionId: string, debrief: Parameters<Store['saveDebrief']>[1], at: Date) {
    await this.free();
    this.db
      .insert(debriefs)
      .values({ sessionId, debrief, createdAt: at.toISOString() })
      .onConflictDoUpdate({ target: debriefs.sessionId, set: { debrief, createdAt: at.toISOString() } })
      .run();
  }

  async debrief(sessionId: string) {
    await this.free();
    return this.db.select().from(debriefs).where(eq(debriefs.sessionId, sessionId)).get();
  }

  // -------------------------------------------------------------------------------------------
  // Spoken answers

  async insertRecording(row: RecordingRow) {
    await this.free();
    this.db.insert(recordings).values(row).run();
  }

  async recording(id: string) {
    await this.free();
    const row = this.db.select(recordingColumns).from(recordings).where(eq(recordings.id, id)).get();
    return row && { ...row, hasAudio: Boolean(row.hasAudio) };
  }

  async recordingAudio(id: string) {
    await this.free();
    const row = this.db
      .select({ audio: recordings.audio, audioType: recordings.audioType })
      .from(recordings)
      .where(eq(recordings.id, id))
      .get();
    return row?.audio ? { audio: row.audio, audioType: row.audioType ?? 'application/octet-stream' } : undefined;
  }

  async attachRecording(id: string, messageId: number) {
    await this.free();
    this.db.update(recordings).set({ messageId }).where(eq(recordings.id, id)).run();
  }

  async recordings(sessionId: string) {
    await this.free();
    return this.db
      .select(recordingColumns)
      .from(recordings)
      .where(eq(recordings.sessionId, sessionId))
      .orderBy(asc(recordings.createdAt))
      .all()
      .map((r) => ({ ...r, hasAudio: Boolean(r.hasAudio) }));
  }

  async deliveries(userId: string) {
    await this.free();
    return this.db
      .select({ sessionId: recordings.sessionId, sessionCreatedAt: sessions.createdAt, delivery: recordings.delivery })
      .from(recordings)
      .innerJoin(sessions, eq(sessions.id, recordings.sessionId))
      .where(and(eq(sessions.userId, userId), isNotNull(recordings.messageId)))
      .orderBy(asc(sessions.createdAt), asc(recordings.createdAt))
      .all();
  }

  async discardRecording(id: string) {
    await this.free();
    const deleted =
      this.db
        .delete(recordings)
        .where(and(eq(recordings.id, id), isNull(recordings.messageId)))
        .run().changes > 0;
    if (deleted) this.scrub();
    return deleted;
  }

  // -------------------------------------------------------------------------------------------
  // Turn claims and idempotency keys

  async claimTurn(sessionId: string, owner: string, now: Date, until: Date) {
    await this.free();
    return this.q.claim.run({ id: sessionId, owner, until: until.toISOString(), now: now.toISOString() }).changes > 0;
  }

  async renewClaim(sessionId: string, owner: string, until: Date) {
    await this.free();
    this.q.renew.run({ id: sessionId, owner, until: until.toISOString() });
  }

  async releaseClaim(sessionId: string, owner: string) {
    await this.free();
    this.q.release.run({ id: sessionId, owner });
  }

  /** SQLite has one writer at a time: the claim is one UPDATE over the lapsed rows. */
  async claimLapsed(owner: string, now: Date, until: Date, limit: number) {
    await this.free();
    const lapsed = this.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(lt(sessions.turnClaimedUntil, now.toISOString()))
      .orderBy(asc(sessions.turnClaimedUntil))
      .limit(limit);
    return this.db
      .update(sessions)
      .set({ turnClaimedBy: owner, turnClaimedUntil: until.toISOString() })
      .where(inArray(sessions.id, lapsed))
      .returning({ id: sessions.id })
      .all()
      .map((r) => r.id);
  }

  async sessionsWithUnfinishedGrades() {
    await this.free();
    return this.db
      .selectDistinct({ sessionId: sessionQuestions.sessionId })
      .from(sessionQuestions)
      .innerJoin(sessions, eq(sessions.id, sessionQuestions.sessionId))
      .where(and(eq(sessionQuestions.state, 'grading'), isNull(sessions.turnClaimedBy)))
      .all()
      .map((r) => r.sessionId);
  }

  async idempotency(sessionId: string, key: string) {
    await this.free();
    return this.q.idempotency.get({ sessionId, key });
  }

  async runningIdempotency(sessionId: string) {
    await this.free();
    return this.db
      .select({ key: idempotencyKeys.key, fingerprint: idempotencyKeys.fingerprint })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.state, 'running')))
      .orderBy(desc(idempotencyKeys.createdAt))
      .limit(1)
      .get();
  }

  async saveIdempotency(row: Parameters<Store['saveIdempotency']>[0]) {
    await this.free();
    this.db
      .insert(idempotencyKeys)
      .values({
        sessionId: row.sessionId,
        key: row.key,
        fingerprint: row.fingerprint,
        state: row.state,
        result: row.result ?? null,
        createdAt: row.at.toISOString(),
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.sessionId, idempotencyKeys.key],
        set: { state: row.state, result: row.result ?? null },
      })
      .run();
  }

  // -------------------------------------------------------------------------------------------
  // Read models

  async stats(sessionId: string): Promise<SessionStats> {
    await this.free();
    return mergeStats(
      this.q.questionStats.get({ sessionId }),
      this.q.gradeStats.get({ sessionId }),
      this.q.messageStats.get({ sessionId }),
    );
  }

  async statsOf(ids: string[]) {
    await this.free();
    if (ids.length === 0) return new Map<string, SessionStats>();
    const q = this.db
      .select({
        sessionId: sessionQuestions.sessionId,
        questions: sql<number>`count(*)`,
        skipped: sql<number>`sum(case when ${sessionQuestions.state} = 'skipped' then 1 else 0 end)`,
      })
      .from(sessionQuestions)
      .where(inArray(sessionQuestions.sessionId, ids))
      .groupBy(sessionQuestions.sessionId)
      .all();
    const g = this.db
      .select({
        sessionId: grades.sessionId,
        graded: sql<number>`count(*)`,
        score: sql<number | null>`avg(${grades.score})`,
        promptTokens: sql<number>`coalesce(sum(${grades.promptTokens}), 0)`,
        completionTokens: sql<number>`coalesce(sum(${grades.completionTokens}), 0)`,
      })
      .from(grades)
      .where(inArray(grades.sessionId, ids))
      .groupBy(grades.sessionId)
      .all();
    const m = this.db
      .select({
        sessionId: messages.sessionId,
        promptTokens: sql<number>`coalesce(sum(${messages.promptTokens}), 0)`,
        completionTokens: sql<number>`coalesce(sum(${messages.completionTokens}), 0)`,
      })
      .from(messages)
      .where(inArray(messages.sessionId, ids))
      .groupBy(messages.sessionId)
      .all();
    const bySession = <T extends { sessionId: string }>(rows: T[]) => new Map(rows.map((r) => [r.sessionId, r]));
    const [qs, gs, ms] = [bySession(q), bySession(g), bySession(m)];
    return new Map(ids.map((id) => [id, mergeStats(qs.get(id), gs.get(id), ms.get(id))]));
  }

  async listSessions(userId: string, limit: number, offset: number) {
    await this.free();
    return this.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(limit)
      .offset(offset)
      .all();
  }

  async countSessions(userId: string) {
    await this.free();
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(sessions)
        .where(eq(sessions.userId, userId))
        .get()?.n ?? 0
    );
  }

  async recentQuestionIds(userId: string, sessionsBack: number) {
    await this.free();
    const recent = this.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt))
      .limit(sessionsBack);
    const rows = this.db
      .select({ questionId: sessionQuestions.questionId })
      .from(sessionQuestions)
      .where(inArray(sessionQuestions.sessionId, recent))
      .all();
    return new Set(rows.map((r) => r.questionId));
  }

  async progress(userId: string) {
    await this.free();
    return this.db
      .select({
        sessionId: grades.sessionId,
        sessionCreatedAt: sessions.createdAt,
        gradedAt: grades.createdAt,
        questionId: sessionQuestions.questionId,
        category: questions.category,
        rubricId: questions.rubricId,
        score: grades.score,
      })
      .from(grades)
      .innerJoin(sessionQuestions, eq(sessionQuestions.id, grades.sessionQuestionId))
      .innerJoin(sessions, eq(sessions.id, grades.sessionId))
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt), asc(grades.id))
      .all();
  }

  // -------------------------------------------------------------------------------------------
  // Accounts

  async insertUser(row: Parameters<Store['insertUser']>[0]) {
    await this.free();
    this.db.insert(users).values(row).run();
  }

  async userByName(name: string) {
    await this.free();
    return this.db
      .select()
      .from(users)
      .where(sql`lower(${users.name}) = ${name.toLowerCase()}`)
      .get();
  }

  async handOverSessions(fromUserId: string, toUserId: string) {
    await this.free();
    return this.db.update(sessions).set({ userId: toUserId }).where(eq(sessions.userId, fromUserId)).run().changes;
  }

  async listUsers() {
    await this.free();
    return this.db
      .select({
        ...getTableColumns(users),
        tokens: sql<number>`(select count(*) from api_tokens t where t.user_id = ${users.id} and t.revoked_at is null)`,
      })
      .from(users)
      .orderBy(asc(users.name))
      .all();
  }

  async deleteUser(id: string) {
    await this.free();
    this.db.delete(users).where(eq(users.id, id)).run();
    this.scrub();
  }

  /** Nothing deleted stays readable in the write-ahead log: it is checkpointed into the file, whose deleted rows are zeroed (secure_delete). */
  private scrub() {
    if (!this.open) this.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  }

  async insertToken(row: Parameters<Store['insertToken']>[0]) {
    await this.free();
    this.db.insert(apiTokens).values(row).run();
  }

  async listTokens() {
    await this.free();
    const { hash: _hash, userId: _userId, ...columns } = getTableColumns(apiTokens);
    return this.db
      .select({ ...columns, user: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(asc(users.name), asc(apiTokens.createdAt))
      .all();
  }

  async tokenByPrefix(prefix: string) {
    await this.free();
    return this.db
      .select({ ...getTableColumns(apiTokens), userName: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.prefix, prefix))
      .get();
  }

  async setTokenUsed(id: string, at: Date) {
    await this.free();
    this.db.update(apiTokens).set({ lastUsedAt: at.toISOString() }).where(eq(apiTokens.id, id)).run();
  }

  async revokeToken(id: string, at: Date) {
    await this.free();
    this.db.update(apiTokens).set({ revokedAt: at.toISOString() }).where(eq(apiTokens.id, id)).run();
  }

  async insertLogin(row: Parameters<Store['insertLogin']>[0]) {
    await this.free();
    this.db.insert(logins).values(row).run();
  }

  async userOfLogin(hash: string) {
    await this.free();
    return this.db
      .select({
        id: users.id,
        name: users.name,
        expiresAt: logins.expiresAt,
        tokenId: apiTokens.id,
        tokenRevokedAt: apiTokens.revokedAt,
        tokenExpiresAt: apiTokens.expiresAt,
      })
      .from(logins)
      .innerJoin(users, eq(users.id, logins.userId))
      .leftJoin(apiTokens, eq(apiTokens.id, logins.tokenId))
      .where(eq(logins.hash, hash))
      .get();
  }

  async deleteLogin(hash: string) {
    await this.free();
    this.db.delete(logins).where(eq(logins.hash, hash)).run();
  }

  async addUsage(userId: string, month: string, used: Parameters<Store['addUsage']>[2]) {
    await this.free();
    this.q.addUsage.run({ userId, month, promptTokens: used.promptTokens, completionTokens: used.completionTokens });
  }

  async reserveUsage(userId: string, month: string, tokens: number, budget: number) {
    // BEGIN IMMEDIATE: one writer at a time, across processes, between the read and the write.
    return this.transaction(async () => {
      const row = this.q.usage.get({ userId, month });
      const held = Math.min(tokens, budget - (row?.promptTokens ?? 0) - (row?.completionTokens ?? 0));
      if (held <= 0) return 0;
      this.q.addUsage.run({ userId, month, promptTokens: held, completionTokens: 0 });
      return held;
    });
  }

  async usage(userId: string, month: string) {
    await this.free();
    const row = this.q.usage.get({ userId, month });
    return { promptTokens: row?.promptTokens ?? 0, completionTokens: row?.completionTokens ?? 0 };
  }

  async hit(key: string, windowMs: number, now: Date, by = 1) {
    await this.free();
    const row = this.q.hit.get({
      key,
      by,
      start: Math.max(0, by),
      at: now.toISOString(),
      fresh: new Date(now.getTime() + windowMs).toISOString(),
    })!;
    return { hits: row.hits, resetAt: new Date(row.resetAt) };
  }

  async resetHits(key: string) {
    await this.free();
    this.db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
  }
}

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
