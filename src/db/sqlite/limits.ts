import { eq, sql } from 'drizzle-orm';
import type { LimitsArea } from '../areas/limits.js';
import { hitWindow, PROBE_OWNER } from '../shared.js';
import { p, prepared, type SqliteContext } from './context.js';
import { rateLimits, writeProbes } from './schema.js';

const counted = prepared((db) =>
  db
    .insert(rateLimits)
    .values({ key: p('key'), hits: p('start'), resetAt: p('fresh') })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${rateLimits.resetAt} <= ${p('at')} then ${p('start')} else max(0, ${rateLimits.hits} + ${p('by')}) end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= ${p('at')} then ${p('fresh')} else ${rateLimits.resetAt} end`,
      },
    })
    .returning({ hits: rateLimits.hits, resetAt: rateLimits.resetAt })
    .prepare(),
);

/** Rate-limit windows and write probes, in SQLite (`../postgres/limits.ts` is its twin). */
export const limitsArea = {
  async hit(key, windowMs, now, by = 1) {
    await this.free();
    const row = counted(this.db).get({ key, by, ...hitWindow(now, windowMs, by) })!;
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
