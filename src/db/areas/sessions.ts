import type { BankEntry } from '../../bank/schema.js';
import type { TurnResult } from '../../interview/schemas.js';
import type { IdempotencyRow, NewSessionQuestionRow, SessionQuestionRow, SessionRow, Totals } from '../rows.js';

/**
 * The request a turn's claim is taken for: its request id and its trace (a W3C traceparent), kept
 * with the claim, so that a replica completing the turn after a crash logs and traces it under them.
 */
export interface ClaimRequest {
  id?: string;
  traceParent?: string;
}

/** Sessions and their questions, and what keeps one turn at a time: turn claims and idempotency keys. */
export interface SessionsArea {
  /** The session; with `lock`, its row stays locked to this transaction (another replica's turn waits). */
  session(id: string, options?: { lock?: boolean }): Promise<SessionRow | undefined>;
  /** Inserts the session and its questions; its running totals start at zero and are kept by the database. */
  insertSession(row: Omit<SessionRow, keyof Totals>, questions: NewSessionQuestionRow[]): Promise<SessionQuestionRow[]>;
  updateSession(id: string, set: Partial<SessionRow>): Promise<void>;
  /** Deletes the session and everything in it; false when there was none. Nothing of it stays readable in the files. */
  deleteSession(id: string): Promise<boolean>;
  touch(sessionId: string, at: Date): Promise<void>;
  moveTo(sessionId: string, position: number, at: Date): Promise<void>;

  questions(sessionId: string): Promise<SessionQuestionRow[]>;
  /** The question as it was asked; null for sessions stored before snapshots were kept. */
  snapshot(sessionQuestionId: number): Promise<BankEntry | null>;
  /** The questions as they were asked, in the order given (null for each stored before snapshots), read at once. */
  snapshotsOf(sessionQuestionIds: number[]): Promise<(BankEntry | null)[]>;
  /** The first answer's time stays: later ones are follow-up answers. */
  markAnswered(sessionQuestionId: number, at: Date): Promise<void>;
  setQuestionState(sessionQuestionId: number, state: SessionQuestionRow['state'], doneAt?: Date | null): Promise<void>;
  askQuestion(sessionQuestionId: number, at: Date): Promise<void>;
  countFollowUp(sessionQuestionId: number): Promise<void>;

  /** Claims the session's turn for `owner` until `until`, for `request`; false when another owner's live claim holds it. */
  claimTurn(sessionId: string, owner: string, now: Date, until: Date, request?: ClaimRequest): Promise<boolean>;
  /** Extends a claim this owner still holds (a heartbeat while a model call runs). */
  renewClaim(sessionId: string, owner: string, until: Date): Promise<void>;
  releaseClaim(sessionId: string, owner: string): Promise<void>;
  /**
   * Claims up to `limit` sessions whose turn claim lapsed (the replica that held it crashed or
   * was killed) for `owner`: each is claimed by one replica only, however many look at once.
   */
  claimLapsed(owner: string, now: Date, until: Date, limit: number): Promise<string[]>;
  /** Sessions with a grade left unfinished and no claim on them (a failed turn, or a crash before claims). */
  sessionsWithUnfinishedGrades(): Promise<string[]>;

  idempotency(sessionId: string, key: string): Promise<IdempotencyRow | undefined>;
  /** The newest key of the session whose turn is still running (a crash cut it off), for recovery to complete it under. */
  runningIdempotency(sessionId: string): Promise<Pick<IdempotencyRow, 'key' | 'fingerprint'> | undefined>;
  saveIdempotency(row: NewIdempotencyKey): Promise<void>;
}

export interface NewIdempotencyKey {
  sessionId: string;
  key: string;
  fingerprint: string;
  state: IdempotencyRow['state'];
  result?: TurnResult;
  at: Date;
}
