import type { RecordingInfo, RecordingRow } from '../rows.js';

/** Spoken answers: transcripts, their delivery figures and (with KEEP_AUDIO) the audio. */
export interface RecordingsArea {
  insertRecording(row: RecordingRow): Promise<void>;
  recording(id: string): Promise<RecordingInfo | undefined>;
  recordingAudio(id: string): Promise<{ audio: Buffer; audioType: string } | undefined>;
  /** Links a recording to the answer it became (the candidate confirmed its transcript). */
  attachRecording(id: string, messageId: number): Promise<void>;
  recordings(sessionId: string): Promise<RecordingInfo[]>;
  /** Deletes a recording not (yet) confirmed as an answer; false when there is none. */
  discardRecording(id: string): Promise<boolean>;
}
