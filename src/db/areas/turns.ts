import type { IdempotencyRow, MessageRow, SessionQuestionRow, SessionRow } from '../rows.js';
import type { NewGrade } from './grades.js';
import type { ClaimRequest, NewIdempotencyKey } from './sessions.js';
import type { NewMessage, SessionMessage } from './messages.js';

/**
 * A turn's reads and writes, each in as few statements as its database allows (PostgreSQL: one,
 * with data-modifying CTEs and RETURNING): what the turn needs read once as it claims the
 * session, and each step's writes in one call. Each call is atomic on its own.
 */
export interface TurnsArea {
  /**
   * Claims the session's turn for `owner` until `until` (as `claimTurn`) when it exists, is
   * `userId`'s (when given), is not finished and has no live claim of another owner, and reads what
   * the turn needs. Undefined when any of that is not so (nothing is claimed); the caller then
   * finds out why. With `key`, what is stored against that Idempotency-Key is read with it (`seen`).
   */
  claimForTurn(
    sessionId: string,
    owner: string,
    now: Date,
    until: Date,
    userId?: string,
    key?: string,
    request?: ClaimRequest,
  ): Promise<TurnStart | undefined>;
  /** What a turn of this session needs: its questions, and the messages of its current question. */
  turnStart(session: SessionRow): Promise<TurnStart>;
  /**
   * Stores the candidate's answer to its question: the message, the question answered (with
   * `grading`, handed to grading as well), the session touched, and the turn's `key` (when it has one).
   */
  storeAnswer(m: NewMessage & { sessionQuestionId: number }, grading: boolean, key?: NewIdempotencyKey): Promise<SessionMessage>;
  /** Stores the grade of a question and marks it graded. */
  storeGrade(g: NewGrade): Promise<void>;
  /**
   * Asks the question `m` is for: the interviewer's message, the question asked, the session moved
   * on to it; with `grade`, the grade of the question it leaves stored in the same write (`storeGrade`).
   */
  askNext(m: NewMessage & { sessionQuestionId: number }, position: number, grade?: NewGrade): Promise<SessionMessage>;
  /** Ends the turn: records its outcome against its idempotency key (when it has one) and releases `owner`'s claim, at once. */
  endTurn(sessionId: string, owner: string, key?: NewIdempotencyKey): Promise<void>;
}

/** What a turn reads of its session as it starts. */
export interface TurnStart {
  session: SessionRow;
  questions: SessionQuestionRow[];
  /** The messages of the current question, in order. */
  messages: MessageRow[];
  /** What is stored against the turn's Idempotency-Key, when it was asked for and there is something. */
  seen?: IdempotencyRow;
}
