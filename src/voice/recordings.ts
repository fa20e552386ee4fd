import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Bank } from '../bank/bank.js';
import type { BankEntry } from '../bank/schema.js';
import type { Config } from '../config.js';
import type { RecordingRow, SessionQuestionRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import type { Rubric } from '../grading/rubrics.js';
import { requireSession } from '../interview/views.js';
import { measureDelivery, type Speech } from './delivery.js';
import type { Recording } from './schemas.js';
import { recordingView } from './views.js';
import type { Transcriber } from './transcribe.js';

/**
 * Spoken answers. The server's transcriber turns a recording into a transcript the candidate
 * confirms or corrects (stored as an unconfirmed recording, with its delivery figures); the
 * confirmed text is then answered like a typed answer, pointing at the recording. Where the
 * browser recognised the speech itself, the answer carries the transcript and its timing, and
 * the recording is stored with the answer.
 */

/** STAR answers get the situation-versus-action time split. */
export const isStar = (question: BankEntry, rubrics: Map<string, Rubric>) => rubrics.get(question.rubric)?.kind === 'star';

/** The stored row of a spoken answer to `question`, measured. */
export function recordingRow(input: {
  sessionId: string;
  question: SessionQuestionRow;
  star: boolean;
  source: RecordingRow['source'];
  speech: Speech;
  audio?: { bytes: Uint8Array; type: string };
  messageId?: number;
  at: Date;
}): RecordingRow {
  const delivery = measureDelivery(input.speech, { timeBoxSeconds: input.question.timeBoxSeconds, star: input.star }, input.source);
  return {
    id: randomUUID(),
    sessionId: input.sessionId,
    sessionQuestionId: input.question.id,
    messageId: input.messageId ?? null,
    source: input.source,
    transcript: input.speech.text,
    segments: input.speech.segments,
    durationMs: Math.round(delivery.speakingSeconds * 1000),
    delivery,
    audio: input.audio ? Buffer.from(input.audio.bytes) : null,
    audioType: input.audio?.type ?? null,
    createdAt: input.at.toISOString(),
  };
}

export interface RecordingsDeps {
  store: Store;
  bank: Bank;
  rubrics: Map<string, Rubric>;
  transcriber: Transcriber | undefined;
  voice: Config['voice'];
  /** The transcription's time limit (OPENAI_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => Date;
}

const MEDIA = /^(audio|video)\/[\w.+-]+$/i;
/** File name extensions transcription servers recognise (OpenAI reads the format from the name), by type. */
const EXTENSION: Record<string, string> = { mpeg: 'mp3', 'x-m4a': 'm4a', 'x-wav': 'wav', wave: 'wav', 'x-flac': 'flac' };

/**
 * What the recording is, from its first bytes (a tool's upload is often application/octet-stream
 * or untyped), else from the type it was sent with: the type to store and the file name to send.
 */
async function audioFormat(bytes: Uint8Array, declared: string): Promise<{ type: string; name: string }> {
  const sniffed = await fileTypeFromBuffer(bytes);
  const claimed = declared.split(';')[0]!.trim().toLowerCase();
  // A container that holds video or sound (webm, ogg, mp4) is named for sound here: it is a spoken answer.
  const type = sniffed?.mime.replace(/^video\//, 'audio/') ?? claimed;
  if (!MEDIA.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      `The recording must be audio (webm, ogg, wav, mp3, mp4/m4a, flac), not ${sniffed ? `a ${sniffed.ext} file` : claimed || 'an untyped file'}`,
    );
  }
  const subtype = type.split('/')[1]!;
  return { type, name: `answer.${sniffed?.ext ?? EXTENSION[subtype] ?? subtype}` };
}

export class Recordings {
  constructor(private readonly deps: RecordingsDeps) {}

  /** Transcribes a recording of an answer to the session's current question and keeps the transcript for the candidate to confirm. */
  async transcribe(
    sessionId: string,
    userId: string,
    upload: { file: File; durationMs?: number; position?: number },
    signal?: AbortSignal,
  ): Promise<Recording> {
    const { store, voice } = this.deps;
    const { file } = upload;
    if (!this.deps.transcriber) {
      throw new AppError(
        'not_configured',
        "This server has no transcription model (set TRANSCRIPTION_BASE_URL, or use the openai provider): use the browser's speech recognition or type your answer",
      );
    }
    if (file.size === 0)
      throw new AppError('bad_request', 'The recording is empty: nothing was recorded. Check the microphone and record again.');
    if (file.size > voice.maxAudioBytes) {
      throw new AppError('payload_too_large', `The recording is larger than ${voice.maxAudioBytes / 1024 / 1024} MB (MAX_AUDIO_MB)`);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { type, name } = await audioFormat(bytes, file.type);
    if (upload.durationMs !== undefined && upload.durationMs > voice.maxAudioSeconds * 1000) {
      throw new AppError('bad_request', tooLong(upload.durationMs / 1000, voice.maxAudioSeconds));
    }
    const session = await requireSession(store, sessionId, userId);
    if (session.status !== 'active') throw new AppError('conflict', 'This session is finished: start a new one to keep practising');
    const current = (await store.questions(sessionId))[session.currentPosition];
    if (!current || current.state !== 'asked') throw new AppError('conflict', 'There is no question waiting for an answer in this session');
    if (upload.position !== undefined && upload.position !== current.position) {
      throw new AppError(
        'conflict',
        `This recording is for question ${upload.position + 1}, but the interview is on question ${current.position + 1} now`,
      );
    }
    const deadline = AbortSignal.timeout(this.deps.timeoutMs);
    const transcript = await this.deps.transcriber.transcribe(
      { bytes, name, type },
      signal ? AbortSignal.any([signal, deadline]) : deadline,
    );
    if (!transcript.text.replace(/[\s.,!?…-]/g, '')) {
      throw new AppError('no_speech', 'No speech was heard in the recording: check the microphone, then record again or type your answer');
    }
    const durationSeconds = transcript.durationSeconds ?? (upload.durationMs ?? 0) / 1000;
    if (durationSeconds > voice.maxAudioSeconds) throw new AppError('bad_request', tooLong(durationSeconds, voice.maxAudioSeconds));
    const question = (await store.snapshot(current.id)) ?? this.deps.bank.require(current.questionId);
    const row = recordingRow({
      sessionId,
      question: current,
      star: isStar(question, this.deps.rubrics),
      source: 'server',
      speech: { text: transcript.text, durationSeconds, segments: transcript.segments },
      audio: voice.keepAudio ? { bytes, type } : undefined,
      at: (this.deps.now ?? (() => new Date()))(),
    });
    await store.insertRecording(row);
    return recordingView({ ...row, hasAudio: row.audio !== null }, current.position);
  }

  /** Throws away a transcript the candidate did not send; a confirmed one stays with its answer. */
  async discard(sessionId: string, userId: string, recordingId: string): Promise<void> {
    await requireSession(this.deps.store, sessionId, userId);
    const found = await this.deps.store.recording(recordingId);
    if (!found || found.sessionId !== sessionId) throw new AppError('not_found', `No recording with id "${recordingId}" in this session`);
    if (!(await this.deps.store.discardRecording(recordingId))) {
      throw new AppError('conflict', 'This recording was sent as an answer: it stays with the session (delete the session to remove it)');
    }
  }

  /** The kept audio of a recording. */
  async audio(sessionId: string, userId: string, recordingId: string) {
    await requireSession(this.deps.store, sessionId, userId);
    const found = await this.deps.store.recording(recordingId);
    if (!found || found.sessionId !== sessionId) throw new AppError('not_found', `No recording with id "${recordingId}" in this session`);
    const audio = await this.deps.store.recordingAudio(recordingId);
    if (!audio) throw new AppError('not_found', 'The audio of this recording was not kept (KEEP_AUDIO is off)');
    return audio;
  }
}

const tooLong = (seconds: number, max: number) =>
  `The recording is ${Math.round(seconds)} s long; answers can be at most ${max} s (MAX_AUDIO_SECONDS). Record a shorter answer, or type it.`;
