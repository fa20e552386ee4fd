import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { RecordingsArea } from '../areas/recordings.js';
import { audioOf } from '../shared.js';
import type { SqliteContext } from './context.js';
import { recordings } from './schema.js';

const { audio: _audio, ...recordingStored } = getTableColumns(recordings);
const recordingColumns = { ...recordingStored, hasAudio: sql<number>`${recordings.audio} is not null` };

/** Spoken answers, in SQLite (`../postgres/recordings.ts` is its twin). */
export const recordingsArea = {
  async insertRecording(row) {
    await this.free();
    this.db.insert(recordings).values(row).run();
  },

  async recording(id) {
    await this.free();
    const row = this.db.select(recordingColumns).from(recordings).where(eq(recordings.id, id)).get();
    return row && { ...row, hasAudio: Boolean(row.hasAudio) };
  },

  async recordingAudio(id) {
    await this.free();
    return audioOf(
      this.db.select({ audio: recordings.audio, audioType: recordings.audioType }).from(recordings).where(eq(recordings.id, id)).get(),
    );
  },

  async attachRecording(id, messageId) {
    await this.free();
    this.db.update(recordings).set({ messageId }).where(eq(recordings.id, id)).run();
  },

  async recordings(sessionId) {
    await this.free();
    return this.db
      .select(recordingColumns)
      .from(recordings)
      .where(eq(recordings.sessionId, sessionId))
      .orderBy(asc(recordings.createdAt))
      .all()
      .map((r) => ({ ...r, hasAudio: Boolean(r.hasAudio) }));
  },

  async discardRecording(id) {
    await this.free();
    const deleted =
      this.db
        .delete(recordings)
        .where(and(eq(recordings.id, id), isNull(recordings.messageId)))
        .run().changes > 0;
    if (deleted) this.scrub();
    return deleted;
  },
} satisfies RecordingsArea & ThisType<SqliteContext>;
