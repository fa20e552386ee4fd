import type { StoryEditRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import { applyStoryEdits, bankOf, deriveStories, type Story, type StoryBank, type StoryFate, storyKey } from './stories.js';
import type { SessionViews } from './views.js';

/**
 * The candidate's story bank and their edits of it: rename, merge, delete. The stories are read
 * from the answers each time; an edit is a row of `story_edits` under the story's key (its first
 * telling), so a later loop, which reads the stories again, keeps it: a deleted story stays
 * deleted when it is told again, a merged one keeps gathering its retellings into the other.
 */

/** The most recent sessions a story bank is read from. */
const SESSIONS_READ = 200;

interface Reads {
  store: Store;
  views: SessionViews;
}

/** A user's stories as read from the answers, their edits, and what the edits made of them. */
interface BankState {
  userId: string;
  edits: StoryEditRow[];
  derived: Story[];
  stories: Story[];
  fates: Map<string, StoryFate>;
}

async function read({ store, views }: Reads, userId: string): Promise<BankState> {
  const rows = await store.listSessions(userId, SESSIONS_READ, 0);
  const sessions = await Promise.all(rows.map((r) => views.get(r.id, userId)));
  const edits = await store.storyEdits(userId);
  const derived = deriveStories(sessions);
  return { userId, edits, derived, ...applyStoryEdits(derived, edits) };
}

/** The user's story bank, their edits applied. */
export async function storyBank(reads: Reads, userId: string): Promise<StoryBank> {
  return bankOf((await read(reads, userId)).stories);
}

/** A story the user sees in their bank; another user's, a deleted or a merged one is a 404. */
function shown(state: BankState, id: string): Story {
  const story = state.stories.find((s) => s.id === id);
  if (story) return story;
  const fate = state.fates.get(id);
  if (fate && 'shownAs' in fate) throw new AppError('not_found', `The story "${id}" was merged into "${fate.shownAs}": edit that one`);
  throw new AppError('not_found', `No story with id "${id}" in your bank`);
}

async function save(store: Store, state: BankState, key: string, change: Partial<StoryEditRow>, at: Date) {
  const now = at.toISOString();
  const was = state.edits.find((e) => e.storyKey === key);
  const base = was ?? { userId: state.userId, storyKey: key, title: null, mergedInto: null, deletedAt: null, createdAt: now };
  await store.saveStoryEdit({ ...base, ...change, updatedAt: now });
}

/** Gives a story the candidate's title; its id stays. */
export async function renameStory(reads: Reads, userId: string, id: string, title: string, at: Date): Promise<Story> {
  const state = await read(reads, userId);
  const story = shown(state, id);
  await save(reads.store, state, id, { title }, at);
  return { ...story, title, renamed: true };
}

/** Merges a story into another: its tellings, principles, figures and grades count there from now on. */
export async function mergeStory(reads: Reads, userId: string, id: string, into: string, at: Date): Promise<Story> {
  const state = await read(reads, userId);
  shown(state, id);
  if (into === id) throw new AppError('bad_request', 'A story cannot be merged into itself: "into" names the same story');
  const fate = state.fates.get(into);
  if (!fate) throw new AppError('bad_request', `"into": no story with id "${into}" in your bank`);
  if ('deleted' in fate) throw new AppError('bad_request', `"into": the story "${into}" was deleted; merge into one in your bank`);
  if (fate.shownAs === id) throw new AppError('bad_request', `"into": the story "${into}" is already part of this one`);
  await save(reads.store, state, id, { mergedInto: fate.shownAs }, at);
  const after = await read(reads, userId);
  return shown(after, fate.shownAs);
}

/** Deletes a story from the bank (and what was merged into it): it stays deleted when told again. */
export async function deleteStory(reads: Reads, userId: string, id: string, at: Date): Promise<void> {
  const state = await read(reads, userId);
  shown(state, id);
  await save(reads.store, state, id, { deletedAt: at.toISOString() }, at);
}

/**
 * Deletes a session, and with it the stories only it told: a story other answers also told stays,
 * its edits moved to its next telling (its new key); edits of stories only this session told go.
 */
export async function deleteSessionStories(
  reads: Reads & { deleteSession(): Promise<void> },
  userId: string,
  sessionId: string,
  at: Date,
): Promise<void> {
  const { store } = reads;
  // Without edits, there is nothing to keep: the stories are read from what remains.
  const state = (await store.storyEdits(userId)).length ? await read(reads, userId) : undefined;
  await reads.deleteSession();
  if (!state) return;
  const inSession = (key: string) => key.startsWith(`${sessionId}:`);
  const moved = new Map<string, string | null>();
  for (const story of state.derived.filter((s) => inSession(s.id))) {
    const next = story.told.find((t) => t.sessionId !== sessionId);
    moved.set(story.id, next ? storyKey(next.sessionId, next.position) : null);
  }
  const edits = new Map(state.edits.map((e) => [e.storyKey, e]));
  const now = at.toISOString();
  for (const e of state.edits) {
    let row: StoryEditRow | null = e;
    if (inSession(e.storyKey)) {
      const to = moved.get(e.storyKey);
      row = to ? { ...e, storyKey: to } : null;
    }
    if (row?.mergedInto && moved.has(row.mergedInto)) {
      // Merged into a story whose first telling is gone: into its next telling, or, if none, where that one went.
      const to = moved.get(row.mergedInto);
      row = { ...row, mergedInto: to ?? edits.get(row.mergedInto)?.mergedInto ?? null };
    }
    if (row === e) continue;
    await store.deleteStoryEdit(userId, e.storyKey);
    if (row) await store.saveStoryEdit({ ...row, updatedAt: now });
  }
}
