import { eq, sql } from 'drizzle-orm';
import type { LimitsArea } from '../areas/limits.js';
import { hitWindow, PROBE_OWNER } from '../shared.js';
import type { PostgresContext } from './context.js';
import { rateLimits, writeProbes } from './schema.js';

/** Rate-limit windows and write probes, in PostgreSQL (`../sqlite/limits.ts` is its twin). */
export const limitsArea = {
  async hit(key, windowMs, now, by = 1) {
    const db = await this.conn();
    const { at, fresh, start } = hitWindow(now, windowMs, by);
    const rows = await db
      .insert(rateLimits)
      .values({ key, hits: start, resetAt: fresh })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${rateLimits.resetAt} <= ${at} then ${start} else greatest(0, ${rateLimits.hits} + ${by}) end`,
          resetAt: sql`case when ${rateLimits.resetAt} <= ${at} then ${fresh} else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt });
    return { hits: rows[0]!.hits, resetAt: new Date(rows[0]!.resetAt) };
  },

  async resetHits(key) {
    const db = await this.conn();
    await db.delete(rateLimits).where(eq(rateLimits.key, key));
  },

  async probeWrite(at) {
    const db = await this.conn();
    await db
      .insert(writeProbes)
      .values({ owner: PROBE_OWNER, at: at.toISOString() })
      .onConflictDoUpdate({ target: writeProbes.owner, set: { at: at.toISOString() } });
  },
} satisfies LimitsArea & ThisType<PostgresContext>;
