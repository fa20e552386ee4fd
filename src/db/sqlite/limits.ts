import { eq, sql } from 'drizzle-orm';
import type { LimitsArea } from '../areas/limits.js';
import { hitWindow, PROBE_OWNER } from '../shared.js';
import type { SqliteContext } from './context.js';
import { rateLimits, writeProbes } from './schema.js';

/** Rate-limit windows and write probes, in SQLite (`../postgres/limits.ts` is its twin). */
export const limitsArea = {
  async hit(key, windowMs, now, by = 1) {
    await this.free();
    const { at, fresh, start } = hitWindow(now, windowMs, by);
    const row = this.db
      .insert(rateLimits)
      .values({ key, hits: start, resetAt: fresh })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${rateLimits.resetAt} <= ${at} then ${start} else max(0, ${rateLimits.hits} + ${by}) end`,
          resetAt: sql`case when ${rateLimits.resetAt} <= ${at} then ${fresh} else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt })
      .get()!;
    return { hits: row.hits, resetAt: new Date(row.resetAt) };
  },

  async resetHits(key) {
    await this.free();
    this.db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
  },

  async probeWrite(at) {
    await this.free();
    this.db
      .insert(writeProbes)
      .values({ owner: PROBE_OWNER, at: at.toISOString() })
      .onConflictDoUpdate({ target: writeProbes.owner, set: { at: at.toISOString() } })
      .run();
  },
} satisfies LimitsArea & ThisType<SqliteContext>;
