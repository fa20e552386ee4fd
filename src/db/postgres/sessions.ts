import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { SessionsArea } from '../areas/sessions.js';
import { claimRequestValues, idempotencyValues } from '../shared.js';
import { type Conn, type PostgresContext, turnStatement } from './context.js';
import { idempotencyKeys, sessionQuestions, sessions } from './schema.js';

const { question: _snapshot, ...questionColumns } = getTableColumns(sessionQuestions);

const p = sql.placeholder;

/**
 * A turn's claim of session `id` for `owner` until `until`: taken when it has no claim, or its
 * own, or one that lapsed before `now` (with `extra`, when that holds too). Shared with the
 * claim a turn starts with (`./turns.ts`).
 */
export const claimOf = (db: Conn, extra?: SQL) =>
  db
    .update(sessions)
    .set({
      turnClaimedBy: sql`${p('owner')}`,
      turnClaimedUntil: sql`${p('until')}`,
      turnRequestId: sql`${p('requestId')}`,
      turnTraceParent: sql`${p('traceParent')}`,
    })
    .where(
      and(
        eq(sessions.id, p('id')),
        extra,
        sql`(${sessions.turnClaimedBy} is null or ${sessions.turnClaimedBy} = ${p('owner')} or ${sessions.turnClaimedUntil} <= ${p('now')})`,
      ),
    );
const claimTurn = turnStatement((db) => claimOf(db).returning({ id: sessions.id }).getSQL());

/** `owner`'s claim of session `id` given back. Shared with a turn's end (`./turns.ts`). */
export const releaseOf = (db: Conn) =>
  db
    .update(sessions)
    // The request goes with the claim: a claim taken later by a version that does not set it must not inherit it.
    .set({ turnClaimedBy: null, turnClaimedUntil: null, turnRequestId: null, turnTraceParent: null })
    .where(and(eq(sessions.id, p('id')), eq(sessions.turnClaimedBy, p('owner'))))
    .getSQL();
const releaseClaim = turnStatement(releaseOf);

/** Sessions and their questions, turn claims and idempotency keys, in PostgreSQL (`../sqlite/sessions.ts` is its twin). */
export const sessionsArea = {
  async session(id, options = {}) {
    const db = await this.conn();
    const query = db.select().from(sessions).where(eq(sessions.id, id));
    // `no key update`, the lock a turn's own writes take: it waits for another turn's claim, but not
    // for the key-share lock an insert of a message or a grade holds on its session (whose running
    // totals it then updates): `update` would wait behind that one and the insert behind it (a deadlock).
    return (await (options.lock && this.inTransaction ? query.for('no key update') : query))[0];
  },

  async insertSession(row, rows) {
    const db = await this.conn();
    await db.insert(sessions).values(row);
    if (!rows.length) return [];
    return db
      .insert(sessionQuestions)
      .values(rows.map((r) => ({ ...r, sessionId: row.id })))
      .returning(questionColumns)
      .then((inserted) => inserted.sort((a, b) => a.position - b.position));
  },

  async updateSession(id, set) {
    const db = await this.conn();
    await db.update(sessions).set(set).where(eq(sessions.id, id));
  },

  async deleteSession(id) {
    const db = await this.conn();
    this.snapshots.clear();
    return (await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id })).length > 0;
  },

  async touch(sessionId, at) {
    const db = await this.conn();
    await db.update(sessions).set({ updatedAt: at.toISOString() }).where(eq(sessions.id, sessionId));
  },

  async moveTo(sessionId, position, at) {
    const db = await this.conn();
    await db.update(sessions).set({ currentPosition: position, updatedAt: at.toISOString() }).where(eq(sessions.id, sessionId));
  },

  async questions(sessionId) {
    const db = await this.conn();
    return db
      .select(questionColumns)
      .from(sessionQuestions)
      .where(eq(sessionQuestions.sessionId, sessionId))
      .orderBy(asc(sessionQuestions.position));
  },

  async snapshot(sessionQuestionId) {
    const db = await this.conn();
    return this.snapshots.get(sessionQuestionId, async () => {
      const rows = await db
        .select({ question: sql<string | null>`${sessionQuestions.question}::text` })
        .from(sessionQuestions)
        .where(eq(sessionQuestions.id, sessionQuestionId));
      return rows[0]?.question ?? null;
    });
  },

  async snapshotsOf(sessionQuestionIds) {
    const db = await this.conn();
    return this.snapshots.getMany(sessionQuestionIds, async (missing) => {
      const rows = await db
        .select({ id: sessionQuestions.id, question: sql<string | null>`${sessionQuestions.question}::text` })
        .from(sessionQuestions)
        .where(inArray(sessionQuestions.id, missing));
      return rows.map((r) => [r.id, r.question]);
    });
  },

  async markAnswered(sessionQuestionId, at) {
    const db = await this.conn();
    await db
      .update(sessionQuestions)
      .set({ answeredAt: sql`coalesce(${sessionQuestions.answeredAt}, ${at.toISOString()})` })
      .where(eq(sessionQuestions.id, sessionQuestionId));
  },

  async setQuestionState(sessionQuestionId, state, doneAt = null) {
    const db = await this.conn();
    await db
      .update(sessionQuestions)
      .set({ state, doneAt: doneAt?.toISOString() ?? null })
      .where(eq(sessionQuestions.id, sessionQuestionId));
  },

  async askQuestion(sessionQuestionId, at) {
    const db = await this.conn();
    await db.update(sessionQuestions).set({ state: 'asked', askedAt: at.toISOString() }).where(eq(sessionQuestions.id, sessionQuestionId));
  },

  async countFollowUp(sessionQuestionId) {
    const db = await this.conn();
    await db
      .update(sessionQuestions)
      .set({ followUps: sql`${sessionQuestions.followUps} + 1` })
      .where(eq(sessionQuestions.id, sessionQuestionId));
  },

  async claimTurn(sessionId, owner, now, until, request) {
    const db = await this.conn();
    const rows = await claimTurn(this, db, {
      id: sessionId,
      owner,
      until: until.toISOString(),
      now: now.toISOString(),
      ...claimRequestValues(request),
    });
    return rows.rows.length > 0;
  },

  async renewClaim(sessionId, owner, until) {
    const db = await this.conn();
    await db
      .update(sessions)
      .set({ turnClaimedUntil: until.toISOString() })
      .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)));
  },

  async releaseClaim(sessionId, owner) {
    const db = await this.conn();
    await releaseClaim(this, db, { id: sessionId, owner });
  },

  /** The job-queue pattern: rows another replica is claiming right now are skipped, not waited for. */
  async claimLapsed(owner, now, until, limit) {
    const db = await this.conn();
    const at = now.toISOString();
    const lapsed = db
      .select({ id: sessions.id })
      .from(sessions)
      .where(lt(sessions.turnClaimedUntil, at))
      .orderBy(asc(sessions.turnClaimedUntil))
      .limit(limit)
      .for('no key update', { skipLocked: true });
    const rows = await db
      .update(sessions)
      .set({ turnClaimedBy: owner, turnClaimedUntil: until.toISOString() })
      .where(and(inArray(sessions.id, lapsed), lt(sessions.turnClaimedUntil, at)))
      .returning({ id: sessions.id });
    return rows.map((r) => r.id);
  },

  async sessionsWithUnfinishedGrades() {
    const db = await this.conn();
    const rows = await db
      .selectDistinct({ sessionId: sessionQuestions.sessionId })
      .from(sessionQuestions)
      .innerJoin(sessions, eq(sessions.id, sessionQuestions.sessionId))
      .where(and(eq(sessionQuestions.state, 'grading'), isNull(sessions.turnClaimedBy)));
    return rows.map((r) => r.sessionId);
  },

  async idempotency(sessionId, key) {
    const db = await this.conn();
    return (
      await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.key, key)))
    )[0];
  },

  async runningIdempotency(sessionId) {
    const db = await this.conn();
    return (
      await db
        .select({ key: idempotencyKeys.key, fingerprint: idempotencyKeys.fingerprint })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.state, 'running')))
        .orderBy(desc(idempotencyKeys.createdAt))
        .limit(1)
    )[0];
  },

  async saveIdempotency(row) {
    const db = await this.conn();
    const values = idempotencyValues(row);
    await db
      .insert(idempotencyKeys)
      .values(values)
      .onConflictDoUpdate({
        target: [idempotencyKeys.sessionId, idempotencyKeys.key],
        set: { state: values.state, result: values.result },
      });
  },
} satisfies SessionsArea & ThisType<PostgresContext>;
