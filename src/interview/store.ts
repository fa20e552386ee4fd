import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { debriefs, grades, idempotencyKeys, messages, sessionQuestions, sessions } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Grade } from '../grading/grade.js';
import type { Usage } from '../llm/usage.js';
import type { Debrief } from './debrief.js';

/** Database access for sessions. Writes take the database or an open transaction; times are passed in. */

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Conn = Db | Tx;

export type SessionRow = typeof sessions.$inferSelect;
export type SessionQuestionRow = typeof sessionQuestions.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** Usage as stored: null columns when the model reported none. */
const tokenColumns = (usage: Usage | undefined) => ({
  promptTokens: usage?.promptTokens ?? null,
  completionTokens: usage?.completionTokens ?? null,
});

export function getSessionRow(db: Conn, id: string): SessionRow | undefined {
  return db.select().from(sessions).where(eq(sessions.id, id)).get();
}

export function requireSessionRow(db: Conn, id: string): SessionRow {
  const row = getSessionRow(db, id);
  if (!row) throw new AppError('not_found', `No session with id "${id}"`);
  return row;
}

export function sessionQuestionRows(db: Conn, sessionId: string): SessionQuestionRow[] {
  return db.select().from(sessionQuestions).where(eq(sessionQuestions.sessionId, sessionId)).orderBy(asc(sessionQuestions.position)).all();
}

export function messageRows(db: Conn, sessionId: string): MessageRow[] {
  return db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.id)).all();
}

export function gradeRows(db: Db, sessionId: string) {
  return db.select().from(grades).where(eq(grades.sessionId, sessionId)).all();
}

export function debriefRow(db: Db, sessionId: string) {
  return db.select().from(debriefs).where(eq(debriefs.sessionId, sessionId)).get();
}

export function insertMessage(
  db: Conn,
  m: {
    sessionId: string;
    sessionQuestionId: number | null;
    role: 'interviewer' | 'candidate';
    kind: MessageRow['kind'];
    content: string;
    usage?: Usage;
    at: Date;
  },
): MessageRow {
  return db
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
    .returning()
    .get();
}

/** An interviewer message: opening, question, follow-up or closing. */
export function insertInterviewerMessage(
  db: Conn,
  sessionId: string,
  sessionQuestionId: number | null,
  kind: 'opening' | 'question' | 'followup' | 'closing',
  content: string,
  at: Date,
  usage?: Usage,
): MessageRow {
  return insertMessage(db, { sessionId, sessionQuestionId, role: 'interviewer', kind, content, usage, at });
}

export function insertGrade(db: Conn, g: { sessionId: string; sessionQuestionId: number; grade: Grade; usage?: Usage; at: Date }) {
  return db
    .insert(grades)
    .values({
      sessionId: g.sessionId,
      sessionQuestionId: g.sessionQuestionId,
      score: g.grade.score,
      grade: g.grade,
      ...tokenColumns(g.usage),
      createdAt: g.at.toISOString(),
    })
    .returning()
    .get();
}

export function updateSessionQuestion(db: Conn, id: number, set: Partial<SessionQuestionRow>) {
  db.update(sessionQuestions).set(set).where(eq(sessionQuestions.id, id)).run();
}

export function updateSession(db: Conn, id: string, set: Partial<SessionRow>) {
  db.update(sessions).set(set).where(eq(sessions.id, id)).run();
}

export function insertDebrief(db: Conn, sessionId: string, debrief: Debrief, at: Date) {
  db.insert(debriefs)
    .values({ sessionId, debrief, createdAt: at.toISOString() })
    .onConflictDoUpdate({ target: debriefs.sessionId, set: { debrief, createdAt: at.toISOString() } })
    .run();
}

export function listSessionRows(db: Db, limit: number, offset: number) {
  return db.select().from(sessions).orderBy(desc(sessions.createdAt), desc(sessions.id)).limit(limit).offset(offset).all();
}

export function countSessions(db: Db): number {
  return db.get<{ n: number }>(sql`select count(*) as n from sessions`).n;
}

/** Summary figures for many sessions at once: questions, answered, mean score, tokens. */
export interface SessionStats {
  questions: number;
  graded: number;
  skipped: number;
  score: number | null;
  promptTokens: number;
  completionTokens: number;
}

export const EMPTY_STATS: SessionStats = { questions: 0, graded: 0, skipped: 0, score: null, promptTokens: 0, completionTokens: 0 };

export function sessionStats(db: Db, ids: string[]): Map<string, SessionStats> {
  if (ids.length === 0) return new Map();
  const q = db
    .select({
      sessionId: sessionQuestions.sessionId,
      questions: sql<number>`count(*)`,
      skipped: sql<number>`sum(case when ${sessionQuestions.state} = 'skipped' then 1 else 0 end)`,
    })
    .from(sessionQuestions)
    .where(inArray(sessionQuestions.sessionId, ids))
    .groupBy(sessionQuestions.sessionId)
    .all();
  const g = db
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
  const m = db
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
  const out = new Map<string, SessionStats>();
  for (const id of ids) {
    const qq = qs.get(id);
    const gg = gs.get(id);
    const mm = ms.get(id);
    out.set(id, {
      questions: qq?.questions ?? 0,
      skipped: qq?.skipped ?? 0,
      graded: gg?.graded ?? 0,
      score: gg?.score == null ? null : Math.round(gg.score * 10) / 10,
      promptTokens: (gg?.promptTokens ?? 0) + (mm?.promptTokens ?? 0),
      completionTokens: (gg?.completionTokens ?? 0) + (mm?.completionTokens ?? 0),
    });
  }
  return out;
}

/** Question ids asked in the most recent sessions. */
export function recentQuestionIds(db: Db, sessionsBack = 5): Set<string> {
  const recent = db.select({ id: sessions.id }).from(sessions).orderBy(desc(sessions.createdAt)).limit(sessionsBack).all();
  if (!recent.length) return new Set();
  const rows = db
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

/** Sessions with a grade that a crash or restart left unfinished. */
export function sessionsWithUnfinishedGrades(db: Db): string[] {
  return db
    .selectDistinct({ sessionId: sessionQuestions.sessionId })
    .from(sessionQuestions)
    .innerJoin(sessions, eq(sessions.id, sessionQuestions.sessionId))
    .where(eq(sessionQuestions.state, 'grading'))
    .all()
    .map((r) => r.sessionId);
}

export function deleteSession(db: Db, id: string): boolean {
  return db.delete(sessions).where(eq(sessions.id, id)).run().changes > 0;
}

// ---------------------------------------------------------------------------------------------
// Turn claims and idempotency keys

/** Claims the session's turn for `owner` until `until`; false when another live claim holds it. */
export function claimTurn(db: Conn, sessionId: string, owner: string, now: Date, until: Date): boolean {
  const row = db
    .select({ by: sessions.turnClaimedBy, until: sessions.turnClaimedUntil })
    .from(sessions)
    .where(eq(sessions.id, sessionId))
    .get();
  if (row?.by && row.until && row.until > now.toISOString()) return false;
  db.update(sessions).set({ turnClaimedBy: owner, turnClaimedUntil: until.toISOString() }).where(eq(sessions.id, sessionId)).run();
  return true;
}

/** Extends a claim this owner still holds (a heartbeat while a model call runs). */
export function renewClaim(db: Db, sessionId: string, owner: string, until: Date): void {
  db.update(sessions)
    .set({ turnClaimedUntil: until.toISOString() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)))
    .run();
}

export function releaseClaim(db: Conn, sessionId: string, owner: string): void {
  db.update(sessions)
    .set({ turnClaimedBy: null, turnClaimedUntil: null })
    .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)))
    .run();
}

/** Sessions whose turn was claimed by a process that stopped renewing it: a crash or a kill. */
export function sessionsWithLapsedClaims(db: Db, now: Date): string[] {
  return db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(isNotNull(sessions.turnClaimedBy), lt(sessions.turnClaimedUntil, now.toISOString())))
    .all()
    .map((r) => r.id);
}

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export function idempotencyRow(db: Conn, sessionId: string, key: string): IdempotencyRow | undefined {
  return db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.sessionId, sessionId), eq(idempotencyKeys.key, key)))
    .get();
}

export function saveIdempotency(
  db: Conn,
  row: Pick<IdempotencyRow, 'sessionId' | 'key' | 'fingerprint' | 'state'> & { result?: IdempotencyRow['result']; at: Date },
): void {
  const values = { sessionId: row.sessionId, key: row.key, fingerprint: row.fingerprint, state: row.state, result: row.result ?? null };
  db.insert(idempotencyKeys)
    .values({ ...values, createdAt: row.at.toISOString() })
    .onConflictDoUpdate({ target: [idempotencyKeys.sessionId, idempotencyKeys.key], set: { state: row.state, result: row.result ?? null } })
    .run();
}

/** The id of the last message of the session, 0 for none. */
export function lastMessageId(db: Conn, sessionId: string): number {
  return (
    db.select({ id: messages.id }).from(messages).where(eq(messages.sessionId, sessionId)).orderBy(desc(messages.id)).limit(1).get()?.id ??
    0
  );
}

/** The id of the interviewer's last message: what a candidate's answer replies to. */
export function lastInterviewerMessageId(db: Conn, sessionId: string): number {
  return (
    db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), eq(messages.role, 'interviewer')))
      .orderBy(desc(messages.id))
      .limit(1)
      .get()?.id ?? 0
  );
}
