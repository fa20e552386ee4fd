import { asc, eq } from 'drizzle-orm';
import type { CodeRunsArea } from '../areas/code-runs.js';
import type { SqliteContext } from './context.js';
import { codeRuns } from './schema.js';

/** The coding round's runs, in SQLite (`../postgres/code-runs.ts` is its twin). */
export const codeRunsArea = {
  async insertCodeRun(sessionId, run) {
    await this.free();
    const [row] = this.db
      .insert(codeRuns)
      .values({ ...run, sessionId })
      .returning()
      .all();
    const { sessionId: _session, ...stored } = row!;
    return stored;
  },

  async codeRuns(sessionId) {
    await this.free();
    return this.db
      .select()
      .from(codeRuns)
      .where(eq(codeRuns.sessionId, sessionId))
      .orderBy(asc(codeRuns.id))
      .all()
      .map(({ sessionId: _session, ...run }) => run);
  },
} satisfies CodeRunsArea & ThisType<SqliteContext>;
