import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ReadModelsArea } from '../areas/read-models.js';
import type { BarVerdict, Level } from '../../grading/levels.js';
import { count, type PostgresContext } from './context.js';
import { grades, questions, recordings, sessionQuestions, sessions } from './schema.js';

/** The read models, in PostgreSQL (`../sqlite/read-models.ts` is its twin). */
export const readModelsArea = {
  async listSessions(userId, limit, offset) {
    const db = await this.conn();
    return db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(limit)
      .offset(offset);
  },

  async countSessions(userId) {
    const db = await this.conn();
    return (await db.select({ n: count }).from(sessions).where(eq(sessions.userId, userId)))[0]?.n ?? 0;
  },

  async recentQuestionIds(userId, sessionsBack) {
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
  },

  async progress(userId) {
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
        level: sql<Level | null>`${sessions.request}->>'level'`,
        bar: sql<BarVerdict | null>`${grades.grade}->'bar'->>'verdict'`,
      })
      .from(grades)
      .innerJoin(sessionQuestions, eq(sessionQuestions.id, grades.sessionQuestionId))
      .innerJoin(sessions, eq(sessions.id, grades.sessionId))
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessions.userId, userId))
      .orderBy(asc(sessions.createdAt), asc(grades.id));
  },

  async deliveries(userId) {
    const db = await this.conn();
    return db
      .select({ sessionId: recordings.sessionId, sessionCreatedAt: sessions.createdAt, delivery: recordings.delivery })
      .from(recordings)
      .innerJoin(sessions, eq(sessions.id, recordings.sessionId))
      .where(and(eq(sessions.userId, userId), isNotNull(recordings.messageId)))
      .orderBy(asc(sessions.createdAt), asc(recordings.createdAt));
  },
} satisfies ReadModelsArea & ThisType<PostgresContext>;
