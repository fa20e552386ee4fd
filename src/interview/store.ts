import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { BankEntry } from '../bank/schema.js';
import type { Db } from '../db/client.js';
import { debriefs, grades, idempotencyKeys, messages, sessionQuestions, sessions } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Grade } from '../grading/grade.js';
import type { Usage } from '../llm/usage.js';
import type { Debrief } from './debrief.js';
import type { TurnResult } from './schemas.js';

/**
 * Database access for sessions. Every query a turn runs is a statement prepared once (drizzle
 * `.prepare()` with placeholders, times passed in as values, never frozen defaults). They run
 * inside the caller's transaction: better-sqlite3 has one connection, and `db.transaction`
 * wraps whatever runs in its callback.
 */

export type SessionRow = typeof sessions.$inferSelect;
/** A question of a session without its snapshot (read on its own, and only when needed). */
export type SessionQuestionRow = Omit<typeof sessionQuestions.$inferSelect, 'question'>;
export type MessageRow = typeof messages.$inferSelect;
export type GradeRow = typeof grades.$inferSelect;
export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/** Summary figures of a session: questions, answered, mean score, tokens. */
export interface SessionStats {
  questions: number;
  graded: number;
  skipped: number;
  score: number | null;
  promptTokens: number;
  completionTokens: number;
}

export const EMPTY_STATS: SessionStats = { questions: 0, graded: 0, skipped: 0, score: null, promptTokens: 0, completionTokens: 0 };

export interface NewMessage {
  sessionId: string;
  sessionQuestionId: number | null;
  role: 'interviewer' | 'candidate';
  kind: MessageRow['kind'];
  content: string;
  usage?: Usage;
  at: Date;
}

const p = sql.placeholder;
const { question: _snapshot, ...questionColumns } = getTableColumns(sessionQuestions);

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
    lastMessage: db
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.sessionId, p('sessionId')))
      .orderBy(desc(messages.id))
      .limit(1)
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
      .where(and(eq(sessions.id, p('id')), sql`(${sessions.turnClaimedBy} is null or ${sessions.turnClaimedUntil} <= ${p('now')})`))
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
  };
}

/** One session's figures from its question, grade and message aggregates. */
function mergeStats(
  q: { questions: number; skipped: number } | undefined,
  g: { graded: number; score: number | null; promptTokens: number; completionTokens: number } | undefined,
  m: { promptTokens: number; completionTokens: number } | undefined,
): SessionStats {
  return {
    questions: q?.questions ?? 0,
    skipped: q?.skipped ?? 0,
    graded: g?.graded ?? 0,
    score: g?.score == null ? null : Math.round(g.score * 10) / 10,
    promptTokens: (g?.promptTokens ?? 0) + (m?.promptTokens ?? 0),
    completionTokens: (g?.completionTokens ?? 0) + (m?.completionTokens ?? 0),
  };
}

/** Usage as stored: null columns when the model reported none. */
const tokenColumns = (usage: Usage | undefined) => ({
  promptTokens: usage?.promptTokens ?? null,
  completionTokens: usage?.completionTokens ?? null,
});

export class SessionStore {
  private readonly q: ReturnType<typeof prepare>;
  /** Snapshots of asked questions never change: parsed once. */
  private readonly snapshots = new Map<number, BankEntry | null>();

  constructor(readonly db: Db) {
    this.q = prepare(db);
  }

  /**
   * Runs `fn` in one transaction on the raw connection (the statements inside are prepared ones);
   * `immediate` takes the write lock first, so a check and the write that depends on it cannot be
   * interleaved with another process.
   */
  atomically<T>(fn: () => T, immediate = false): T {
    const tx = this.db.$client.transaction(fn);
    return immediate ? tx.immediate() : tx();
  }

  session(id: string): SessionRow | undefined {
    return this.q.session.get({ id });
  }

  /** The session, if it exists and (when a user is given) belongs to that user: another user's session does not exist for them. */
  requireSession(id: string, userId?: string): SessionRow {
    const row = this.session(id);
    if (!row || (userId !== undefined && row.userId !== userId)) throw new AppError('not_found', `No session with id "${id}"`);
    return row;
  }

  questions(sessionId: string): SessionQuestionRow[] {
    return this.q.questions.all({ sessionId });
  }

  /** The question as it was asked; null for sessions stored before snapshots were kept. */
  snapshot(sessionQuestionId: number): BankEntry | null {
    let snap = this.snapshots.get(sessionQuestionId);
    if (snap === undefined) {
      const text = this.q.snapshot.get({ id: sessionQuestionId })?.question ?? null;
      snap = text === null ? null : this.intern(text);
      if (this.snapshots.size >= 5000) this.snapshots.delete(this.snapshots.keys().next().value!);
      this.snapshots.set(sessionQuestionId, snap);
    }
    return snap;
  }

  /** Many sessions ask the same question: one parsed copy of each distinct snapshot serves them all. */
  private readonly interned = new Map<string, BankEntry>();
  private intern(text: string): BankEntry {
    let entry = this.interned.get(text);
    if (!entry) {
      entry = JSON.parse(text) as BankEntry;
      if (this.interned.size >= 2000) this.interned.delete(this.interned.keys().next().value!);
      this.interned.set(text, entry);
    }
    return entry;
  }

  questionMessages(sessionQuestionId: number): MessageRow[] {
    return this.q.questionMessages.all({ id: sessionQuestionId });
  }

  messages(sessionId: string): MessageRow[] {
    return this.q.sessionMessages.all({ sessionId });
  }

  /** The id of the last message of the session, 0 for none. */
  lastMessageId(sessionId: string): number {
    return this.q.lastMessage.get({ sessionId })?.id ?? 0;
  }

  /** The id of the interviewer's last message: what a candidate's answer replies to. */
  lastInterviewerMessageId(sessionId: string): number {
    return this.q.lastInterviewerMessage.get({ sessionId })?.id ?? 0;
  }

  insertMessage(m: NewMessage): MessageRow {
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

  insertGrade(g: { sessionId: string; sessionQuestionId: number; grade: Grade; usage?: Usage; at: Date }): void {
    this.q.insertGrade.run({
      sessionId: g.sessionId,
      sessionQuestionId: g.sessionQuestionId,
      score: g.grade.score,
      grade: g.grade,
      ...tokenColumns(g.usage),
      at: g.at.toISOString(),
    });
  }

  grades(sessionId: string): GradeRow[] {
    return this.q.grades.all({ sessionId });
  }

  /** The scores alone, without parsing the grades. */
  scores(sessionId: string): Array<{ sessionQuestionId: number; score: number }> {
    return this.q.scores.all({ sessionId });
  }

  /** The first answer's time stays: later ones are follow-up answers. */
  markAnswered(sessionQuestionId: number, at: Date): void {
    this.q.questionAnswered.run({ id: sessionQuestionId, at: at.toISOString() });
  }

  setQuestionState(sessionQuestionId: number, state: SessionQuestionRow['state'], doneAt: Date | null = null): void {
    this.q.questionState.run({ id: sessionQuestionId, state, doneAt: doneAt?.toISOString() ?? null });
  }

  askQuestion(sessionQuestionId: number, at: Date): void {
    this.q.questionAsked.run({ id: sessionQuestionId, at: at.toISOString() });
  }

  countFollowUp(sessionQuestionId: number): void {
    this.q.questionFollowedUp.run({ id: sessionQuestionId });
  }

  touch(sessionId: string, at: Date): void {
    this.q.sessionTouched.run({ id: sessionId, at: at.toISOString() });
  }

  moveTo(sessionId: string, position: number, at: Date): void {
    this.q.sessionMoved.run({ id: sessionId, position, at: at.toISOString() });
  }

  /** Rare writes (finishing a session): not worth a prepared statement. */
  updateSession(id: string, set: Partial<SessionRow>): void {
    this.db.update(sessions).set(set).where(eq(sessions.id, id)).run();
  }

  insertDebrief(sessionId: string, debrief: Debrief, at: Date): void {
    this.db
      .insert(debriefs)
      .values({ sessionId, debrief, createdAt: at.toISOString() })
      .onConflictDoUpdate({ target: debriefs.sessionId, set: { debrief, createdAt: at.toISOString() } })
      .run();
  }

  debrief(sessionId: string) {
    return this.db.select().from(debriefs).where(eq(debriefs.sessionId, sessionId)).get();
  }

  deleteSession(id: string): boolean {
    this.snapshots.clear();
    return this.db.delete(sessions).where(eq(sessions.id, id)).run().changes > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Turn claims and idempotency keys

  /** Claims the session's turn for `owner` until `until`; false when another live claim holds it. */
  claimTurn(sessionId: string, owner: string, now: Date, until: Date): boolean {
    return this.q.claim.run({ id: sessionId, owner, until: until.toISOString(), now: now.toISOString() }).changes > 0;
  }

  /** Extends a claim this owner still holds (a heartbeat while a model call runs). */
  renewClaim(sessionId: string, owner: string, until: Date): void {
    this.q.renew.run({ id: sessionId, owner, until: until.toISOString() });
  }

  releaseClaim(sessionId: string, owner: string): void {
    this.q.release.run({ id: sessionId, owner });
  }

  /** Sessions whose turn was claimed by a process that stopped renewing it: a crash or a kill. */
  sessionsWithLapsedClaims(now: Date): string[] {
    return this.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(isNotNull(sessions.turnClaimedBy), lt(sessions.turnClaimedUntil, now.toISOString())))
      .all()
      .map((r) => r.id);
  }

  /** Sessions with a grade that a crash or restart left unfinished. */
  sessionsWithUnfinishedGrades(): string[] {
    return this.db
      .selectDistinct({ sessionId: sessionQuestions.sessionId })
      .from(sessionQuestions)
      .where(eq(sessionQuestions.state, 'grading'))
      .all()
      .map((r) => r.sessionId);
  }

  idempotency(sessionId: string, key: string): IdempotencyRow | undefined {
    return this.q.idempotency.get({ sessionId, key });
  }

  saveIdempotency(row: {
    sessionId: string;
    key: string;
    fingerprint: string;
    state: IdempotencyRow['state'];
    result?: TurnResult;
    at: Date;
  }): void {
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

  stats(sessionId: string): SessionStats {
    return mergeStats(
      this.q.questionStats.get({ sessionId }),
      this.q.gradeStats.get({ sessionId }),
      this.q.messageStats.get({ sessionId }),
    );
  }

  listSessions(userId: string, limit: number, offset: number): SessionRow[] {
    return this.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(limit)
      .offset(offset)
      .all();
  }

  countSessions(userId: string): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(sessions)
        .where(eq(sessions.userId, userId))
        .get()?.n ?? 0
    );
  }

  /** Summary figures of many sessions at once, for lists. */
  statsOf(ids: string[]): Map<string, SessionStats> {
    if (ids.length === 0) return new Map();
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

  /** Question ids asked in the most recent sessions. */
  recentQuestionIds(userId: string, sessionsBack = 5): Set<string> {
    const recent = this.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt))
      .limit(sessionsBack)
      .all();
    if (!recent.length) return new Set();
    const rows = this.db
      .select({ questionId: sessionQuestions.questionId })
      .from(sessionQuestions)
      .where(
        inArray(
          sessionQuestions.sessionId,
          recent.map((r) => r.id),
        ),
      )
      .all();
    return new Set(rows.map((r) => r.questionId));
  }
}
