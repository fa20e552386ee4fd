import type { StoryEditRow } from '../rows.js';

/** The candidate's edits of their story bank (renamed, merged, deleted), per user. */
export interface StoriesArea {
  /** Every edit a user made, oldest first. */
  storyEdits(userId: string): Promise<StoryEditRow[]>;
  /** Writes the edit of one story (user and key), replacing the one there was. */
  saveStoryEdit(row: StoryEditRow): Promise<void>;
  deleteStoryEdit(userId: string, storyKey: string): Promise<void>;
}
