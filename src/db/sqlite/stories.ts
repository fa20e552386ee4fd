import { and, asc, eq } from 'drizzle-orm';
import type { StoriesArea } from '../areas/stories.js';
import type { SqliteContext } from './context.js';
import { storyEdits } from './schema.js';

/** The story bank's edits, in SQLite (`../postgres/stories.ts` is its twin). */
export const storiesArea = {
  async storyEdits(userId) {
    await this.free();
    return this.db.select().from(storyEdits).where(eq(storyEdits.userId, userId)).orderBy(asc(storyEdits.createdAt)).all();
  },

  async saveStoryEdit(row) {
    await this.free();
    const { userId: _user, storyKey: _key, createdAt: _created, ...set } = row;
    this.db
      .insert(storyEdits)
      .values(row)
      .onConflictDoUpdate({ target: [storyEdits.userId, storyEdits.storyKey], set })
      .run();
  },

  async deleteStoryEdit(userId, storyKey) {
    await this.free();
    this.db
      .delete(storyEdits)
      .where(and(eq(storyEdits.userId, userId), eq(storyEdits.storyKey, storyKey)))
      .run();
    this.scrub();
  },
} satisfies StoriesArea & ThisType<SqliteContext>;
