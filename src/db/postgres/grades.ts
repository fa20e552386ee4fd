import { eq } from 'drizzle-orm';
import type { GradesArea } from '../areas/grades.js';
import { gradeValues } from '../shared.js';
import type { PostgresContext } from './context.js';
import { debriefs, grades } from './schema.js';

/** Grades and debriefs, in PostgreSQL (`../sqlite/grades.ts` is its twin). */
export const gradesArea = {
  async insertGrade(g) {
    const db = await this.conn();
    await db.insert(grades).values(gradeValues(g));
  },

  async grades(sessionId) {
    const db = await this.conn();
    return db.select().from(grades).where(eq(grades.sessionId, sessionId));
  },

  async scores(sessionId) {
    const db = await this.conn();
    return db
      .select({ sessionQuestionId: grades.sessionQuestionId, score: grades.score })
      .from(grades)
      .where(eq(grades.sessionId, sessionId));
  },

  async saveDebrief(sessionId, debrief, at) {
    const db = await this.conn();
    await db
      .insert(debriefs)
      .values({ sessionId, debrief, createdAt: at.toISOString() })
      .onConflictDoUpdate({ target: debriefs.sessionId, set: { debrief, createdAt: at.toISOString() } });
  },

  async debrief(sessionId) {
    const db = await this.conn();
    return (await db.select().from(debriefs).where(eq(debriefs.sessionId, sessionId)))[0];
  },
} satisfies GradesArea & ThisType<PostgresContext>;
