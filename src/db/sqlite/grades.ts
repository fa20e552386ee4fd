import { eq } from 'drizzle-orm';
import type { GradesArea } from '../areas/grades.js';
import { gradeValues } from '../shared.js';
import { p, prepared, type SqliteContext } from './context.js';
import { debriefs, grades } from './schema.js';

// Every graded turn inserts its grade: prepared once, named after the call (`prepared` in ./context.ts says why).
const insertGrade = prepared((db) =>
  db
    .insert(grades)
    .values({
      sessionId: p('sessionId'),
      sessionQuestionId: p('sessionQuestionId'),
      score: p('score'),
      grade: p('grade'),
      promptTokens: p('promptTokens'),
      completionTokens: p('completionTokens'),
      createdAt: p('createdAt'),
    })
    .prepare(),
);
/** Grades and debriefs, in SQLite (`../postgres/grades.ts` is its twin). */
export const gradesArea = {
  async insertGrade(g) {
    await this.free();
    insertGrade(this.db).run(gradeValues(g));
  },

  async grades(sessionId) {
    await this.free();
    return this.db.select().from(grades).where(eq(grades.sessionId, sessionId)).all();
  },

  async scores(sessionId) {
    await this.free();
    return this.db
      .select({ sessionQuestionId: grades.sessionQuestionId, score: grades.score })
      .from(grades)
      .where(eq(grades.sessionId, sessionId))
      .all();
  },

  async saveDebrief(sessionId, debrief, at) {
    await this.free();
    this.db
      .insert(debriefs)
      .values({ sessionId, debrief, createdAt: at.toISOString() })
      .onConflictDoUpdate({ target: debriefs.sessionId, set: { debrief, createdAt: at.toISOString() } })
      .run();
  },

  async debrief(sessionId) {
    await this.free();
    return this.db.select().from(debriefs).where(eq(debriefs.sessionId, sessionId)).get();
  },
} satisfies GradesArea & ThisType<SqliteContext>;
