import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { RecordingsArea } from '../areas/recordings.js';
import { audioOf } from '../shared.js';
import type { PostgresContext } from './context.js';
import { recordings } from './schema.js';

const { audio: _audio, ...recordingStored } = getTableColumns(recordings);
const recordingColumns = { ...recordingStored, hasAudio: sql<boolean>`${recordings.audio} is not null` };

/** Spoken answers, in PostgreSQL (`../sqlite/recordings.ts` is its twin). */
export const recordingsArea = {
  async insertRecording(row) {
    const db = await this.conn();
    await db.insert(recordings).values(row);
  },

  async recording(id) {
    const db = await this.conn();
    return (await db.select(recordingColumns).from(recordings).where(eq(recordings.id, id)))[0];
  },

  async recordingAudio(id) {
    const db = await this.conn();
    return audioOf(
      (await db.select({ audio: recordings.audio, audioType: recordings.audioType }).from(recordings).where(eq(recordings.id, id)))[0],
    );
  },

  async attachRecording(id, messageId) {
    const db = await this.conn();
    await db.update(recordings).set({ messageId }).where(eq(recordings.id, id));
  },

  async recordings(sessionId) {
    const db = await this.conn();
    return db.select(recordingColumns).from(recordings).where(eq(recordings.sessionId, sessionId)).orderBy(asc(recordings.createdAt));
  },

  async discardRecording(id) {
    const db = await this.conn();
    const gone = await db
      .delete(recordings)
      .where(and(eq(recordings.id, id), isNull(recordings.messageId)))
      .returning({ id: recordings.id });
    return gone.length > 0;
  },
} satisfies RecordingsArea & ThisType<PostgresContext>;
