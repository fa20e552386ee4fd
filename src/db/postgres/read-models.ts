import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ReadModelsArea } from '../areas/read-models.js';
import type { BarVerdict, Level } from '../../grading/levels.js';
import { type GradeFigures, type MessageFigures, mergeStats, statsBySession } from '../shared.js';
import { count, type PostgresContext } from './context.js';
import { grades, messages, questions, recordings, sessionQuestions, sessions } from './schema.js';

/** The read models, in PostgreSQL (`../sqlite/read-models.ts` is its twin). */
export const readModelsArea = {
  /** One statement: the three aggregates as subqueries. */
  async stats(sessionId) {
    const db = await this.conn();
    const result = await db.execute<{ q: { questions: number; skipped: number }; g: GradeFigures; m: MessageFigures }>(sql`
      select
        (select json_build_object('questions', count(*), 'skipped', count(*) filter (where state = 'skipped'))
           from session_questions where session_id = ${sessionId}) as q,
        (select json_build_object('graded', count(*), 'score', avg(score),
           'promptTokens', coalesce(sum(prompt_tokens), 0), 'completionTokens', coalesce(sum(completion_tokens), 0))
           from grades where session_id = ${sessionId}) as g,
        (select json_build_object('promptTokens', coalesce(sum(prompt_tokens), 0), 'completionTokens', coalesce(sum(completion_tokens), 0))
           from messages where session_id = ${sessionId}) as m`);
    const { q, g, m } = result.rows[0]!;
    return mergeStats(q, g, m);
  },

  async statsOf(ids) {
    const db = await this.conn();
    if (ids.length === 0) return new Map();
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
    return statsBySession(ids, q, g, m);
  },

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
