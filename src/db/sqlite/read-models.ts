import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ReadModelsArea } from '../areas/read-models.js';
import type { BarVerdict, Level } from '../../grading/levels.js';
import type { SqliteContext } from './context.js';
import { grades, questions, recordings, sessionQuestions, sessions } from './schema.js';

/** The read models, in SQLite (`../postgres/read-models.ts` is its twin). */
export const readModelsArea = {
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
