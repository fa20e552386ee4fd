import { fileURLToPath } from 'node:url';
import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import type { BankEntry } from '../../bank/schema.js';
import type { DatabaseConfig } from '../../config.js';
import { ConfigError } from '../../errors.js';
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

type Db = NodePgDatabase<typeof schema>;
type Conn = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/pg', import.meta.url));
const { question: _snapshot, ...questionColumns } = getTableColumns(sessionQuestions);
const { audio: _audio, ...recordingStored } = getTableColumns(recordings);
const recordingColumns = { ...recordingStored, hasAudio: sql<boolean>`${recordings.audio} is not null` };
const count = sql<number>`count(*)`.mapWith(Number);

/** The URL without its password, for messages and logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * The PostgreSQL store, for several stateless replicas on one database (node-postgres pool).
 * Connecting, migrating and loading the bank happen in the background (`ready`); migrations and
 * the bank load hold an advisory lock, so replicas starting together do it once.
 *
 * Correct with several replicas: a turn's transactions lock the session row (`SELECT … FOR
 * UPDATE`), so two replicas never claim or change the same session's turn at once; claims are
 * leases in the row, and lapsed ones are taken with `FOR UPDATE SKIP LOCKED`, each by one
 * replica; idempotency keys and grades are unique constraints; rate limits and budgets are rows.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly ready: Promise<void>;
  private readonly pool: pg.Pool;
  private readonly db: Db;
  private readonly snapshots = new SnapshotCache();
  /** On a transaction's `tx`: the transaction its calls run in. */
  private readonly inTransaction: Conn | undefined = undefined;

  constructor(config: Extract<DatabaseConfig, { kind: 'postgres' }>, bank: BankEntry[] = []) {
    this.location = `${redact(config.url)} (schema ${config.schema})`;
    this.pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize,
      options: `-c search_path=${config.schema}`,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle client losing its connection (a database restart) must not take the process down.
    this.pool.on('error', () => {});
    this.db = drizzle(this.pool, { schema });
    this.ready = this.prepare(config.schema, bank).catch((e: unknown) => {
      throw new ConfigError(`DATABASE_URL=${redact(config.url)}: cannot use the PostgreSQL database: ${(e as Error).message}`, {
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
        await drizzle(client, { schema }).transaction((tx) => this.loadBankWith(tx, bank, new Date()));
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [`mockloop:${schemaName}`]);
      }
    } finally {
      client.release();
    }
  }

  /** The transaction a call is part of, or the pool. */
  private async conn(): Promise<Conn> {
    await this.ready;
    return this.inTransaction ?? this.db;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    await this.ready;
    // The same store, bound to the transaction: its calls run in it.
    return this.db.transaction((conn) => fn(Object.create(this, { inTransaction: { value: conn } })));
  }

  async probeWrite(at: Date) {
    const db = await this.conn();
    await db
      .insert(writeProbes)
      .values({ owner: PROBE_OWNER, at: at.toISOString() })
      .onConflictDoUpdate({ target: writeProbes.owner, set: { at: at.toISOString() } });
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

  // -------------------------------------------------------------------------------------------
  // Sessions

  async session(id: string, options: { lock?: boolean } = {}) {
    const db = await this.conn();
    const query = db.select().from(sessions).where(eq(sessions.id, id));
    return (await (options.lock && this.inTransaction ? query.for('update') : query))[0];
  }

  async insertSession(row: SessionRow, rows: Parameters<Store['insertSession']>[1]) {
    const db = await this.conn();
    await db.insert(sessions).values(row);
    if (!rows.length) return [];
    return db
      .insert(sessionQuestions)
      .values(rows.map((r) => ({ ...r, sessionId: row.id })))
      .returning(questionColumns)
      .then((inserted) => inserted.sort((a, b) => a.position - b.position));
  }

  async updateSession(id: string, set: Partial<SessionRow>) {
    const db = await this.conn();
    await db.update(sessions).set(set).where(eq(sessions.id, id));
  }

  async deleteSession(id: string) {
    const db = await this.conn();
    this.snapshots.clear();
    return (await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id })).length > 0;
  }

  async questions(sessionId: string) {
    const db = await this.conn();
    return db
      .select(questionColumns)
      .from(sessionQuestions)
      .where(eq(sessionQuestions.sessionId, sessionId))
      .orderBy(asc(sessionQuestions.position));
  }

  async snapshot(sessionQuestionId: number) {
    const db = await this.conn();
    return this.snapshots.get(sessionQuestionId, async () => {
      const rows = await db
        .select({ question: sql<string | null>`${sessionQuestions.question}::text` })
        .from(sessionQuestions)
        .where(eq(sessionQuestions.id, sessionQuestionId));
      return rows[0]?.question ?? null;
    });
  }

  async questionMessages(sessionQuestionId: number) {
    const db = await this.conn();
    return db.select().from(messages).where(eq(messages.sessionQuestionId, sessionQuestionId)).orderBy(asc(messages.id));
  }

  async messages(sessionId: string) {
    const db = await this.conn();
    return db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.id));
  }

  async lastInterviewerMessageId(sessionId: string) {
    const db = await this.conn();
    const rows = await db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), eq(messages.role, 'interviewer')))
      .orderBy(desc(messages.id))
      .limit(1);
    return rows[0]?.id ?? 0;
  }

  async insertMessage(m: NewMessage) {
    const db = await this.conn();
    const rows = await db
      .insert(messages)
      .values({
        sessionId: m.sessionId,
        sessionQuestionId: m.sessionQuestionId,
        role: m.role,
        kind: m.kind,
        content: m.content,
        ...tokenColumns(m.usage),
        createdAt: m.at.toISOString(),
      })
      .returning();
    return rows[0]!;
  }

  async insertGrade(g: Parameters<Store['insertGrade']>[0]) {
    const db = await this.conn();
    await db.insert(grades).values({
      sessionId: g.sessionId,
      sessionQuestionId: g.sessionQuestionId,
      score: g.grade.score,
      grade: g.grade,
      ...tokenColumns(g.usage),
      createdAt: g.at.toISOString(),
    });
  }

  async grades(sessionId: string) {
    const db = await this.conn();
    return db.select().from(grades).where(eq(grades.sessionId, sessionId));
  }

  async scores(sessionId: string) {
    const db = await this.conn();
    return db
      .select({ sessionQuestionId: grades.sessionQuestionId, score: grades.score })
      .from(grades)
      .where(eq(grades.sessionId, sessionId));
  }

  async markAnswered(sessionQuestionId: number, at: Date) {
    const db = await this.conn();
    await db
      .update(sessionQuestions)
      .set({ answeredAt: sql`coalesce(${sessionQuestions.answeredAt}, ${at.toISOString()})` })
      .where(eq(sessionQuestions.id, sessionQuestionId));
  }

  async setQuestionState(sessionQuestionId: number, state: Parameters<Store['setQuestionState']>[1], doneAt: Date | null = null) {
    const db = await this.conn();
    await db
      .update(sessionQuestions)
      .set({ state, doneAt: doneAt?.toISOString() ?? null })
      .where(eq(sessionQuestions.id, sessionQuestionId));
  }

  async askQuestion(sessionQuestionId: number, at: Date) {
    const db = await this.conn();
    await db.update(sessionQuestions).set({ state: 'asked', askedAt: at.toISOString() }).where(eq(sessionQuestions.id, sessionQuestionId));
  }

  async countFollowUp(sessionQuestionId: number) {
    const db = await this.conn();
    await db
      .update(sessionQuestions)
      .set({ followUps: sql`${sessionQuestions.followUps} + 1` })
      .where(eq(sessionQuestions.id, sessionQuestionId));
  }

  async touch(sessionId: string, at: Date) {
    const db = await this.conn();
    await db.update(sessions).set({ updatedAt: at.toISOString() }).where(eq(sessions.id, sessionId));
  }

  async moveTo(sessionId: string, position: number, at: Date) {
    const db = await this.conn();
    await db.update(sessions).set({ currentPosition: position, updatedAt: at.toISOString() }).where(eq(sessions.id, sessionId));
  }

  async saveDebrief(sessionId: string, debrief: Parameters<Store['saveDebrief']>[1], at: Date) {
    const db = await this.conn();
    await db
      .insert(debriefs)
      .values({ sessionId, debrief, createdAt: at.toISOString() })
      .onConflictDoUpdate({ target: debriefs.sessionId, set: { debrief, createdAt: at.toISOString() } });
  }

  async debrief(sessionId: string) {
    const db = await this.conn();
    return (await db.select().from(debriefs).where(eq(debriefs.sessionId, sessionId)))[0];
  }

  // -------------------------------------------------------------------------------------------
  // Spoken answers

  async insertRecording(row: RecordingRow) {
    const db = await this.conn();
    await db.insert(recordings).values(row);
  }

  async recording(id: string) {
    const db = await this.conn();
    return (await db.select(recordingColumns).from(recordings).where(eq(recordings.id, id)))[0];
  }

  async recordingAudio(id: string) {
    const db = await this.conn();
    const row = (
      await db.select({ audio: recordings.audio, audioType: recordings.audioType }).from(recordings).where(eq(recordings.id, id))
    )[0];
    return row?.audio ? { audio: row.audio, audioType: row.audioType ?? 'application/octet-stream' } : undefined;
  }

  async attachRecording(id: string, messageId: number) {
    const db = await this.conn();
    await db.update(recordings).set({ messageId }).where(eq(recordings.id, id));
  }

  async recordings(sessionId: string) {
    const db = await this.conn();
    return db.select(recordingColumns).from(recordings).where(eq(recordings.sessionId, sessionId)).orderBy(asc(recordings.createdAt));
  }

  async deliveries(userId: string) {
    const db = await this.conn();
    return db
      .select({ sessionId: recordings.sessionId, sessionCreatedAt: sessions.createdAt, delivery: recordings.delivery })
      .from(recordings)
      .innerJoin(sessions, eq(sessions.id, recordings.sessionId))
      .where(and(eq(sessions.userId, userId), isNotNull(recordings.messageId)))
      .orderBy(asc(sessions.createdAt), asc(recordings.createdAt));
  }

  async discardRecording(id: string) {
    const db = await this.conn();
    const gone = await db
      .delete(recordings)
      .where(and(eq(recordings.id, id), isNull(recordings.messageId)))
      .returning({ id: recordings.id });
    return gone.length > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Turn claims and idempotency keys

  async claimTurn(sessionId: string, owner: string, now: Date, until: Date) {
    const db = await this.conn();
    const rows = await db
      .update(sessions)
      .set({ turnClaimedBy: owner, turnClaimedUntil: until.toISOString() })
      .where(
        and(
          eq(sessions.id, sessionId),
          sql`(${sessions.turnClaimedBy} is null or ${sessions.turnClaimedBy} = ${owner} or ${sessions.turnClaimedUntil} <= ${now.toISOString()})`,
        ),
      )
      .returning({ id: sessions.id });
    return rows.length > 0;
  }

  async renewClaim(sessionId: string, owner: string, until: Date) {
    const db = await this.conn();
    await db
      .update(sessions)
      .set({ turnClaimedUntil: until.toISOString() })
      .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)));
  }

  async releaseClaim(sessionId: string, owner: string) {
    const db = await this.conn();
    await db
      .update(sessions)
      .set({ turnClaimedBy: null, turnClaimedUntil: null })
      .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)));
  }

  /** The job-queue pattern: rows another replica is claiming right now are skipped, not waited for. */
  async claimLapsed(owner: string, now: Date, until: Date, limit: number) {
    const db = await this.conn();
    const at = now.toISOString();
    const lapsed = db
      .select({ id: sessions.id })
      .from(sessions)
      .where(lt(sessions.turnClaimedUntil, at))
      .orderBy(asc(sessions.turnClaimedUntil))
      .limit(limit)
      .for('update', { skipLocked: true });
    const rows = await db
      .update(sessions)
      .set({ turnClaimedBy: owner, turnClaimedUntil: until.toISOString() })
      .where(and(inArray(sessions.id, lapsed), lt(sessions.turnClaimedUntil, at)))
      .returning({ id: sessions.id });
    return rows.map((r) => r.id);
  }

  async sessionsWithUnfinishedGrades() {
    const db = await this.conn();
    const rows = await db
      .selectDistinct({ sessionId: sessionQuestions.sessionId })
      .from(sessionQuestions)
      .innerJoin(sessions, eq(sessions.id, sessionQuestions.sessionId))
      .where(and(eq(sessionQuestions.state, 'grading'), isNull(sessions.turnClaimedBy)));
    return rows.map((r) => r.sessionId);
  }

  async idempotency(sessionId: string, key: string) {
    const db = await this.conn();
    return (
      await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.key, key)))
    )[0];
  }

  async runningIdempotency(sessionId: string) {
    const db = await this.conn();
    return (
      await db
        .select({ key: idempotencyKeys.key, fingerprint: idempotencyKeys.fingerprint })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.state, 'running')))
        .orderBy(desc(idempotencyKeys.createdAt))
        .limit(1)
    )[0];
  }

  async saveIdempotency(row: Parameters<Store['saveIdempotency']>[0]) {
    const db = await this.conn();
    await db
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
      });
  }

  // -------------------------------------------------------------------------------------------
  // Read models

  async stats(sessionId: string): Promise<SessionStats> {
    return (await this.statsOf([sessionId])).get(sessionId)!;
  }

  async statsOf(ids: string[]) {
    const db = await this.conn();
    if (ids.length === 0) return new Map<string, SessionStats>();
    const [q, g, m] = await Promise.all([
      db
        .select({
          sessionId: sessionQuestions.sessionId,
          questions: count,
          skipped: sql<number>`count(*) filter (where ${sessionQuestions.state} = 'skipped')`.mapWith(Number),
        })
        .from(sessionQuestions)
        .where(inArray(sessionQuestions.sessionId, ids))
        .groupBy(sessionQuestions.sessionId),
      db
        .select({
          sessionId: grades.sessionId,
          graded: count,
          score: sql<number | null>`avg(${grades.score})`.mapWith(Number),
          promptTokens: sql<number>`coalesce(sum(${grades.promptTokens}), 0)`.mapWith(Number),
          completionTokens: sql<number>`coalesce(sum(${grades.completionTokens}), 0)`.mapWith(Number),
        })
        .from(grades)
        .where(inArray(grades.sessionId, ids))
        .groupBy(grades.sessionId),
      db
        .select({
          sessionId: messages.sessionId,
          promptTokens: sql<number>`coalesce(sum(${messages.promptTokens}), 0)`.mapWith(Number),
          completionTokens: sql<number>`coalesce(sum(${messages.completionTokens}), 0)`.mapWith(Number),
        })
        .from(messages)
        .where(inArray(messages.sessionId, ids))
        .groupBy(messages.sessionId),
    ]);
    const bySession = <T extends { sessionId: string }>(rows: T[]) => new Map(rows.map((r) => [r.sessionId, r]));
    const [qs, gs, ms] = [bySession(q), bySession(g), bySession(m)];
    return new Map(ids.map((id) => [id, mergeStats(qs.get(id), gs.get(id), ms.get(id))]));
  }

  async listSessions(userId: string, limit: number, offset: number) {
    const db = await this.conn();
    return db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(limit)
      .offset(offset);
  }

  async countSessions(userId: string) {
    const db = await this.conn();
    return (await db.select({ n: count }).from(sessions).where(eq(sessions.userId, userId)))[0]?.n ?? 0;
  }

  async recentQuestionIds(userId: string, sessionsBack: number) {
    const db = await this.conn();
    const recent = db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt))
      .limit(sessionsBack);
    const rows = await db
      .select({ questionId: sessionQuestions.questionId })
      .from(sessionQuestions)
      .where(inArray(sessionQuestions.sessionId, recent));
    return new Set(rows.map((r) => r.questionId));
  }

  async progress(userId: string) {
    const db = await this.conn();
    return db
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
      .orderBy(asc(sessions.createdAt), asc(grades.id));
  }

  // -------------------------------------------------------------------------------------------
  // Accounts

  async insertUser(row: Parameters<Store['insertUser']>[0]) {
    const db = await this.conn();
    await db.insert(users).values(row);
  }

  async userByName(name: string) {
    const db = await this.conn();
    return (
      await db
        .select()
        .from(users)
        .where(sql`lower(${users.name}) = ${name.toLowerCase()}`)
    )[0];
  }

  async handOverSessions(fromUserId: string, toUserId: string) {
    const db = await this.conn();
    return (await db.update(sessions).set({ userId: toUserId }).where(eq(sessions.userId, fromUserId)).returning({ id: sessions.id }))
      .length;
  }

  async listUsers() {
    const db = await this.conn();
    return db
      .select({
        ...getTableColumns(users),
        tokens: sql<number>`(select count(*) from api_tokens t where t.user_id = ${users.id} and t.revoked_at is null)`.mapWith(Number),
      })
      .from(users)
      .orderBy(asc(users.name));
  }

  async deleteUser(id: string) {
    const db = await this.conn();
    await db.delete(users).where(eq(users.id, id));
  }

  async insertToken(row: Parameters<Store['insertToken']>[0]) {
    const db = await this.conn();
    await db.insert(apiTokens).values(row);
  }

  async listTokens() {
    const db = await this.conn();
    const { hash: _hash, userId: _userId, ...columns } = getTableColumns(apiTokens);
    return db
      .select({ ...columns, user: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(asc(users.name), asc(apiTokens.createdAt));
  }

  async tokenByPrefix(prefix: string) {
    const db = await this.conn();
    const rows = await db
      .select({ ...getTableColumns(apiTokens), userName: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.prefix, prefix));
    return rows[0];
  }

  async setTokenUsed(id: string, at: Date) {
    const db = await this.conn();
    await db.update(apiTokens).set({ lastUsedAt: at.toISOString() }).where(eq(apiTokens.id, id));
  }

  async revokeToken(id: string, at: Date) {
    const db = await this.conn();
    await db.update(apiTokens).set({ revokedAt: at.toISOString() }).where(eq(apiTokens.id, id));
  }

  async insertLogin(row: Parameters<Store['insertLogin']>[0]) {
    const db = await this.conn();
    await db.insert(logins).values(row);
  }

  async userOfLogin(hash: string) {
    const db = await this.conn();
    const rows = await db
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
      .where(eq(logins.hash, hash));
    return rows[0];
  }

  async deleteLogin(hash: string) {
    const db = await this.conn();
    await db.delete(logins).where(eq(logins.hash, hash));
  }

  async reserveUsage(userId: string, month: string, tokens: number, budget: number) {
    return this.transaction(async (tx) => {
      const db = await (tx as PostgresStore).conn();
      await db.insert(usage).values({ userId, month }).onConflictDoNothing();
      // Locked until commit: a parallel reservation for the same month waits, then sees this one.
      const [row] = await db
        .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
        .from(usage)
        .where(and(eq(usage.userId, userId), eq(usage.month, month)))
        .for('update');
      const held = Math.min(tokens, budget - (row?.promptTokens ?? 0) - (row?.completionTokens ?? 0));
      if (held <= 0) return 0;
      await db
        .update(usage)
        .set({ promptTokens: sql`${usage.promptTokens} + ${held}` })
        .where(and(eq(usage.userId, userId), eq(usage.month, month)));
      return held;
    });
  }

  async addUsage(userId: string, month: string, used: Parameters<Store['addUsage']>[2]) {
    const db = await this.conn();
    await db
      .insert(usage)
      .values({ userId, month, promptTokens: used.promptTokens, completionTokens: used.completionTokens })
      .onConflictDoUpdate({
        target: [usage.userId, usage.month],
        set: {
          promptTokens: sql`${usage.promptTokens} + ${used.promptTokens}`,
          completionTokens: sql`${usage.completionTokens} + ${used.completionTokens}`,
        },
      });
  }

  async usage(userId: string, month: string) {
    const db = await this.conn();
    const rows = await db
      .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
      .from(usage)
      .where(and(eq(usage.userId, userId), eq(usage.month, month)));
    return { promptTokens: rows[0]?.promptTokens ?? 0, completionTokens: rows[0]?.completionTokens ?? 0 };
  }

  async hit(key: string, windowMs: number, now: Date, by = 1) {
    const db = await this.conn();
    const at = now.toISOString();
    const fresh = new Date(now.getTime() + windowMs).toISOString();
    const rows = await db
      .insert(rateLimits)
      .values({ key, hits: Math.max(0, by), resetAt: fresh })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${rateLimits.resetAt} <= ${at} then ${Math.max(0, by)} else greatest(0, ${rateLimits.hits} + ${by}) end`,
          resetAt: sql`case when ${rateLimits.resetAt} <= ${at} then ${fresh} else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt });
    return { hits: rows[0]!.hits, resetAt: new Date(rows[0]!.resetAt) };
  }

  async resetHits(key: string) {
    const db = await this.conn();
    await db.delete(rateLimits).where(eq(rateLimits.key, key));
  }
}

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
