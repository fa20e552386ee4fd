import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { SessionsArea } from '../areas/sessions.js';
import { claimRequestValues, idempotencyValues } from '../shared.js';
import { type Db, p, prepared, type SqliteContext } from './context.js';
import { idempotencyKeys, sessionQuestions, sessions } from './schema.js';

const { question: _snapshot, ...questionColumns } = getTableColumns(sessionQuestions);

// What every turn runs, prepared once, each named after the call that runs it (`prepared` in ./context.ts says why these and no others).
const session = prepared((db) =>
  db
    .select()
    .from(sessions)
    .where(eq(sessions.id, p('id')))
    .prepare(),
);
const touch = prepared((db) =>
  db
    .update(sessions)
    .set({ updatedAt: sql`${p('at')}` })
    .where(eq(sessions.id, p('id')))
    .prepare(),
);
const moveTo = prepared((db) =>
  db
    .update(sessions)
    .set({ currentPosition: sql`${p('position')}`, updatedAt: sql`${p('at')}` })
    .where(eq(sessions.id, p('id')))
    .prepare(),
);
const questions = prepared((db) =>
  db
    .select(questionColumns)
    .from(sessionQuestions)
    .where(eq(sessionQuestions.sessionId, p('sessionId')))
    .orderBy(asc(sessionQuestions.position))
    .prepare(),
);
const snapshot = prepared((db) =>
  db
    .select({ question: sql<string | null>`${sessionQuestions.question}` })
    .from(sessionQuestions)
    .where(eq(sessionQuestions.id, p('id')))
    .prepare(),
);
const markAnswered = prepared((db) =>
  db
    .update(sessionQuestions)
    .set({ answeredAt: sql`coalesce(${sessionQuestions.answeredAt}, ${p('at')})` })
    .where(eq(sessionQuestions.id, p('id')))
    .prepare(),
);
const setQuestionState = prepared((db) =>
  db
    .update(sessionQuestions)
    .set({ state: sql`${p('state')}`, doneAt: sql`${p('doneAt')}` })
    .where(eq(sessionQuestions.id, p('id')))
    .prepare(),
);
const askQuestion = prepared((db) =>
  db
    .update(sessionQuestions)
    .set({ state: 'asked', askedAt: sql`${p('at')}` })
    .where(eq(sessionQuestions.id, p('id')))
    .prepare(),
);
const countFollowUp = prepared((db) =>
  db
    .update(sessionQuestions)
    .set({ followUps: sql`${sessionQuestions.followUps} + 1` })
    .where(eq(sessionQuestions.id, p('id')))
    .prepare(),
);
/**
 * The claim of session `id`'s turn for `owner` until `until`, where `extra` holds and no claim of
 * another owner is live at `now` (placeholders); `claimForTurn` (./turns.ts) adds its conditions.
 */
export const claimOf = (db: Db, extra?: SQL) =>
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
const claimTurn = prepared((db) => claimOf(db).prepare());
const releaseClaim = prepared((db) =>
  db
    .update(sessions)
    // The request goes with the claim: a claim taken later by a version that does not set it must not inherit it.
    .set({ turnClaimedBy: null, turnClaimedUntil: null, turnRequestId: null, turnTraceParent: null })
    .where(and(eq(sessions.id, p('id')), eq(sessions.turnClaimedBy, p('owner'))))
    .prepare(),
);
const idempotency = prepared((db) =>
  db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.sessionId, p('sessionId')), eq(idempotencyKeys.key, p('key'))))
    .prepare(),
);

/** Sessions and their questions, turn claims and idempotency keys, in SQLite (`../postgres/sessions.ts` is its twin). */
export const sessionsArea = {
  async session(id) {
    await this.free();
    return session(this.db).get({ id });
  },

  async insertSession(row, rows) {
    await this.free();
    this.db.insert(sessions).values(row).run();
    return rows.map((r) =>
      this.db
        .insert(sessionQuestions)
        .values({ ...r, sessionId: row.id })
        .returning(questionColumns)
        .get(),
    );
  },

  async updateSession(id, set) {
    await this.free();
    this.db.update(sessions).set(set).where(eq(sessions.id, id)).run();
  },

  async deleteSession(id) {
    await this.free();
    this.snapshots.clear();
    const deleted = this.db.delete(sessions).where(eq(sessions.id, id)).run().changes > 0;
    if (deleted) this.scrub();
    return deleted;
  },

  async touch(sessionId, at) {
    await this.free();
    touch(this.db).run({ id: sessionId, at: at.toISOString() });
  },

  async moveTo(sessionId, position, at) {
    await this.free();
    moveTo(this.db).run({ id: sessionId, position, at: at.toISOString() });
  },

  async questions(sessionId) {
    await this.free();
    return questions(this.db).all({ sessionId });
  },

  async snapshot(sessionQuestionId) {
    await this.free();
    return this.snapshots.get(sessionQuestionId, () => snapshot(this.db).get({ id: sessionQuestionId })?.question ?? null);
  },

  async snapshotsOf(sessionQuestionIds) {
    await this.free();
    return this.snapshots.getMany(sessionQuestionIds, (missing) =>
      this.db
        .select({ id: sessionQuestions.id, question: sql<string | null>`${sessionQuestions.question}` })
        .from(sessionQuestions)
        .where(inArray(sessionQuestions.id, missing))
        .all()
        .map((r) => [r.id, r.question]),
    );
  },

  async markAnswered(sessionQuestionId, at) {
    await this.free();
    markAnswered(this.db).run({ id: sessionQuestionId, at: at.toISOString() });
  },

  async setQuestionState(sessionQuestionId, state, doneAt = null) {
    await this.free();
    setQuestionState(this.db).run({ id: sessionQuestionId, state, doneAt: doneAt?.toISOString() ?? null });
  },

  async askQuestion(sessionQuestionId, at) {
    await this.free();
    askQuestion(this.db).run({ id: sessionQuestionId, at: at.toISOString() });
  },

  async countFollowUp(sessionQuestionId) {
    await this.free();
    countFollowUp(this.db).run({ id: sessionQuestionId });
  },

  async claimTurn(sessionId, owner, now, until, request) {
    await this.free();
    return (
      claimTurn(this.db).run({ id: sessionId, owner, until: until.toISOString(), now: now.toISOString(), ...claimRequestValues(request) })
        .changes > 0
    );
  },

  async renewClaim(sessionId, owner, until) {
    await this.free();
    this.db
      .update(sessions)
      .set({ turnClaimedUntil: until.toISOString() })
      .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)))
      .run();
  },

  async releaseClaim(sessionId, owner) {
    await this.free();
    releaseClaim(this.db).run({ id: sessionId, owner });
  },

  /** SQLite has one writer at a time: the claim is one UPDATE over the lapsed rows. */
  async claimLapsed(owner, now, until, limit) {
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
  },

  async sessionsWithUnfinishedGrades() {
    await this.free();
    return this.db
      .selectDistinct({ sessionId: sessionQuestions.sessionId })
      .from(sessionQuestions)
      .innerJoin(sessions, eq(sessions.id, sessionQuestions.sessionId))
      .where(and(eq(sessionQuestions.state, 'grading'), isNull(sessions.turnClaimedBy)))
      .all()
      .map((r) => r.sessionId);
  },

  async idempotency(sessionId, key) {
    await this.free();
    return idempotency(this.db).get({ sessionId, key });
  },

  async runningIdempotency(sessionId) {
    await this.free();
    return this.db
      .select({ key: idempotencyKeys.key, fingerprint: idempotencyKeys.fingerprint })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.state, 'running')))
      .orderBy(desc(idempotencyKeys.createdAt))
      .limit(1)
      .get();
  },

  async saveIdempotency(row) {
    await this.free();
    const values = idempotencyValues(row);
    this.db
      .insert(idempotencyKeys)
      .values(values)
      .onConflictDoUpdate({ target: [idempotencyKeys.sessionId, idempotencyKeys.key], set: { state: values.state, result: values.result } })
      .run();
  },
} satisfies SessionsArea & ThisType<SqliteContext>;
