import { asc, eq } from 'drizzle-orm';
import type { CodeRunsArea } from '../areas/code-runs.js';
import type { PostgresContext } from './context.js';
import { codeRuns } from './schema.js';

/** The coding round's runs, in PostgreSQL (`../sqlite/code-runs.ts` is its twin). */
export const codeRunsArea = {
  async insertCodeRun(sessionId, run) {
    const db = await this.conn();
    const [row] = await db
      .insert(codeRuns)
      .values({ ...run, sessionId })
      .returning();
    const { sessionId: _session, ...stored } = row!;
    return stored;
  },

  async codeRuns(sessionId) {
    const db = await this.conn();
    const rows = await db.select().from(codeRuns).where(eq(codeRuns.sessionId, sessionId)).orderBy(asc(codeRuns.id));
    return rows.map(({ sessionId: _session, ...run }) => run);
  },
} satisfies CodeRunsArea & ThisType<PostgresContext>;
