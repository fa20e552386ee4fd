import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ReadModelsArea } from '../areas/read-models.js';
import type { BarVerdict, Level } from '../../grading/levels.js';
import { mergeStats, statsBySession } from '../shared.js';
import { p, prepared, type SqliteContext } from './context.js';
import { grades, messages, questions, recordings, sessionQuestions, sessions } from './schema.js';

// A turn's reply carries its session's figures (`stats`): prepared once, as what every turn runs (`prepared` in ./context.ts).
const questionStats = prepared((db) =>
  db
    .select({
      questions: sql<number>`count(*)`,
      skipped: sql<number>`coalesce(sum(case when ${sessionQuestions.state} = 'skipped' then 1 else 0 end), 0)`,
    })
    .from(sessionQuestions)
    .where(eq(sessionQuestions.sessionId, p('sessionId')))
    .prepare(),
);
const gradeStats = prepared((db) =>
  db
    .select({
      graded: sql<number>`count(*)`,
      score: sql<number | null>`avg(${grades.score})`,
      promptTokens: sql<number>`coalesce(sum(${grades.promptTokens}), 0)`,
      completionTokens: sql<number>`coalesce(sum(${grades.completionTokens}), 0)`,
    })
    .from(grades)
    .where(eq(grades.sessionId, p('sessionId')))
    .prepare(),
);
const messageStats = prepared((db) =>
  db
    .select({
      promptTokens: sql<number>`coalesce(sum(${messages.promptTokens}), 0)`,
      completionTokens: sql<number>`coalesce(sum(${messages.completionTokens}), 0)`,
    })
    .from(messages)
    .where(eq(messages.sessionId, p('sessionId')))
    .prepare(),
);

/** The read models, in SQLite (`../postgres/read-models.ts` is its twin). */
export const readModelsArea = {
  async stats(sessionId) {
    await this.free();
    return mergeStats(
      questionStats(this.db).get({ sessionId }),
      gradeStats(this.db).get({ sessionId }),
      messageStats(this.db).get({ sessionId }),
    );
  },

  async statsOf(ids) {
    await this.free();
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
    return statsBySession(ids, q, g, m);
  },

  async listSessions(userId, limit, offset) {
    await this.free();
    return this.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(limit)
      .offset(offset)
      .all();
  },

  async countSessions(userId) {
    await this.free();
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(sessions)
        .where(eq(sessions.userId, userId))
        .get()?.n ?? 0
    );
  },

  async recentQuestionIds(userId, sessionsBack) {
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
  },

  async progress(userId) {
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
        level: sql<Level | null>`json_extract(${sessions.request}, '$.level')`,
        bar: sql<BarVerdict | null>`json_extract(${grades.grade}, '$.bar.verdict')`,
      })
      .from(grades)
      .innerJoin(sessionQuestions, eq(sessionQuestions.id, grades.sessionQuestionId))
      .innerJoin(sessions, eq(sessions.id, grades.sessionId))
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt), asc(grades.id))
      .all();
  },

  async deliveries(userId) {
    await this.free();
    return this.db
      .select({ sessionId: recordings.sessionId, sessionCreatedAt: sessions.createdAt, delivery: recordings.delivery })
      .from(recordings)
      .innerJoin(sessions, eq(sessions.id, recordings.sessionId))
      .where(and(eq(sessions.userId, userId), isNotNull(recordings.messageId)))
      .orderBy(asc(sessions.createdAt), asc(recordings.createdAt))
      .all();
  },
} satisfies ReadModelsArea & ThisType<SqliteContext>;
