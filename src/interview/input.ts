import type { Bank } from '../bank/bank.js';
import type { SessionMessage } from '../db/areas/messages.js';
import type { NewIdempotencyKey } from '../db/areas/sessions.js';
import type { TurnStart } from '../db/areas/turns.js';
import type { MessageRow, SessionQuestionRow, SessionRow } from '../db/rows.js';
import { addToTotals } from '../db/shared.js';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import type { Rubric } from '../grading/rubrics.js';
import { isStar, recordingRow } from '../voice/recordings.js';
import type { Usage } from '../llm/usage.js';
import type { TurnRequest } from './turns.js';

/**
 * What a turn stores before the interview moves on, under the turn's claim: the candidate's
 * answer (refused when it is for a question the interview has left, or repeats a recording), or
 * the message a skip or a finish leaves; and the interviewer's messages as they are written.
 */

/**
 * Checks and stores the turn's input: the answer, or what a skip or a finish closes; and the
 * turn's Idempotency-Key as running (`key`), with the answer when there is one. All of it or
 * nothing: one statement for an answer, a transaction when it is several writes. What it
 * stores it also puts in `start`, which the turn goes on from without reading it again.
 */
export async function acceptInput(
  deps: { bank: Bank; rubrics: Map<string, Rubric> },
  store: Store,
  start: TurnStart,
  req: TurnRequest,
  at: Date,
  key?: NewIdempotencyKey,
): Promise<SessionMessage[]> {
  const { session } = start;
  const current = start.questions[session.currentPosition];
  if (!current) throw new AppError('internal', 'The session has no current question');
  let stored: SessionMessage[];
  if (req.action === 'answer') {
    const star = req.speech ? isStar((await store.snapshot(current.id)) ?? deps.bank.require(current.questionId), deps.rubrics) : false;
    stored = [await acceptAnswer(store, session, current, req, star, at, key)];
  } else if (req.action === 'retry') {
    // Nothing new to store but the key, as running again: one statement, no transaction around it.
    if (key) await store.saveIdempotency(key);
    stored = [];
  } else {
    stored = await store.transaction(async (tx) => {
      const closed: SessionMessage[] = [];
      if (key) await tx.saveIdempotency(key);
      if (req.action === 'skip' && current.state === 'asked') closed.push(...(await closeQuestion(tx, start, current, 'skip', at)));
      if (req.action === 'finish') {
        if (current.state === 'asked') closed.push(...(await closeQuestion(tx, start, current, 'finish', at)));
        await tx.updateSession(session.id, { status: 'finishing', updatedAt: at.toISOString() });
        session.status = 'finishing';
        session.updatedAt = at.toISOString();
      }
      return closed;
    });
  }
  start.messages.push(...stored);
  return stored;
}

/** Stores the answer to the current question, unless it is for a question the interview has left. */
async function acceptAnswer(
  store: Store,
  session: SessionRow,
  current: SessionQuestionRow,
  req: TurnRequest,
  star: boolean,
  at: Date,
  key: NewIdempotencyKey | undefined,
): Promise<SessionMessage> {
  if (req.position !== undefined && req.position !== session.currentPosition) {
    throw new AppError(
      'conflict',
      `This answer is for question ${req.position + 1}, but the interview is on question ${session.currentPosition + 1} now: it was not saved`,
    );
  }
  if (req.replyTo !== undefined && req.replyTo !== (await store.lastInterviewerMessageNumber(session.id))) {
    throw new AppError('conflict', 'The interviewer has said more since the message this answer replies to: read it, then answer again');
  }
  if (current.state !== 'asked' && current.state !== 'grading') {
    throw new AppError('conflict', "The interviewer's reply to your last answer is missing: retry the turn (POST …/retry) to get it first");
  }
  if (req.recordingId !== undefined) {
    const recording = await store.recording(req.recordingId);
    if (!recording || recording.sessionId !== session.id) {
      throw new AppError('not_found', `No recording with id "${req.recordingId}" in this session: record the answer again, or type it`);
    }
    if (recording.messageId !== null) throw new AppError('conflict', 'This recording was already sent as an answer');
    if (recording.sessionQuestionId !== current.id) {
      throw new AppError('conflict', 'This recording answers a question the interview has left: it was not saved');
    }
  }
  // With no follow-up left to ask, the answer goes straight to grading.
  const grading = current.followUps >= session.maxFollowUps;
  const message = {
    sessionId: session.id,
    sessionQuestionId: current.id,
    role: 'candidate' as const,
    kind: 'answer' as const,
    content: req.text!,
    at,
  };
  // A spoken answer is stored with its recording, in one transaction; a typed one is one statement.
  const row =
    req.recordingId === undefined && !req.speech
      ? await store.storeAnswer(message, grading, key)
      : await store.transaction(async (tx) => {
          const row = await tx.storeAnswer(message, grading, key);
          if (req.recordingId !== undefined) await tx.attachRecording(req.recordingId, row.id);
          if (req.speech) {
            const { transcript, durationSeconds, segments } = req.speech;
            const speech = { text: transcript, durationSeconds, segments };
            await tx.insertRecording(
              recordingRow({ sessionId: session.id, question: current, star, source: 'browser', speech, messageId: row.id, at }),
            );
          }
          return row;
        });
  current.answeredAt ??= at.toISOString();
  if (grading) Object.assign(current, { state: 'grading', doneAt: null });
  session.updatedAt = at.toISOString();
  return row;
}

/** Ends the current question: with answers it is graded as it stands, without it is skipped (the skip message is returned). */
export async function closeQuestion(
  store: Store,
  start: TurnStart,
  current: SessionQuestionRow,
  why: 'skip' | 'finish',
  at: Date,
): Promise<SessionMessage[]> {
  const answered = start.messages.some((m) => m.role === 'candidate' && m.kind === 'answer');
  if (answered) {
    await store.setQuestionState(current.id, 'grading');
    Object.assign(current, { state: 'grading', doneAt: null });
    return [];
  }
  const row = await store.insertMessage({
    sessionId: start.session.id,
    sessionQuestionId: current.id,
    role: 'candidate',
    kind: 'skip',
    content: why === 'skip' ? '(skipped)' : '(not answered: loop finished)',
    at,
  });
  await store.setQuestionState(current.id, 'skipped', at);
  Object.assign(current, { state: 'skipped', doneAt: at.toISOString() });
  addToTotals(start.session, { skipped: true });
  return [row];
}

/** An interviewer message: opening, question, follow-up or closing. */
export function say(
  store: Store,
  sessionId: string,
  sessionQuestionId: number | null,
  kind: MessageRow['kind'],
  content: string,
  at: Date,
  usage?: Usage,
): Promise<SessionMessage> {
  return store.insertMessage({ sessionId, sessionQuestionId, role: 'interviewer', kind, content, usage, at });
}
