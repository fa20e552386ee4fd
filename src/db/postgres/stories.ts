import { and, asc, eq } from 'drizzle-orm';
import type { StoriesArea } from '../areas/stories.js';
import type { PostgresContext } from './context.js';
import { storyEdits } from './schema.js';

/** The story bank's edits, in PostgreSQL (`../sqlite/stories.ts` is its twin). */
export const storiesArea = {
  async storyEdits(userId) {
    const db = await this.conn();
    return db.select().from(storyEdits).where(eq(storyEdits.userId, userId)).orderBy(asc(storyEdits.createdAt));
  },

  async saveStoryEdit(row) {
    const db = await this.conn();
    const { userId: _user, storyKey: _key, createdAt: _created, ...set } = row;
    await db
      .insert(storyEdits)
      .values(row)
      .onConflictDoUpdate({ target: [storyEdits.userId, storyEdits.storyKey], set });
  },

  async deleteStoryEdit(userId, storyKey) {
    const db = await this.conn();
    await db.delete(storyEdits).where(and(eq(storyEdits.userId, userId), eq(storyEdits.storyKey, storyKey)));
  },
} satisfies StoriesArea & ThisType<PostgresContext>;
