import type { RecordingInfo } from '../db/rows.js';
import type { Recording } from './schemas.js';

/** What the API shows of a stored recording: its audio by address, never the bytes. */
export function recordingView(r: RecordingInfo, position: number | null): Recording {
  return {
    id: r.id,
    position,
    source: r.source,
    transcript: r.transcript,
    durationSeconds: Math.round(r.durationMs / 100) / 10,
    delivery: r.delivery,
    confirmed: r.messageId !== null,
    audioUrl: r.hasAudio ? `/api/sessions/${encodeURIComponent(r.sessionId)}/recordings/${encodeURIComponent(r.id)}/audio` : null,
  };
}
