import type { BankEntry } from '../bank/schema.js';
import type { Grade } from '../grading/grade.js';
import type { Debrief } from '../interview/debrief.js';
import type { TurnResult } from '../interview/schemas.js';
import type { Usage } from '../llm/usage.js';
import type * as schema from './sqlite/schema.js';

/**
 * What mockloop keeps, behind one interface with two implementations: SQLite (one file, one
 * process or a few on one machine; `src/db/sqlite`) and PostgreSQL (several replicas on one
 * database; `src/db/postgres`). The interview loop, the read models and the accounts are written
 * once against this interface; each implementation keeps its own dialect's queries, locks and
 * error codes. Times are ISO-8601 strings in UTC, always passed in by the caller.
 */

export type SessionRow = typeof schema.sessions.$inferSelect;
export type NewSessionRow = typeof schema.sessions.$inferInsert;
/** A question of a session without its snapshot (read on its own, and only when needed). */
export type SessionQuestionRow = Omit<typeof schema.sessionQuestions.$inferSelect, 'question'>;
export type NewSessionQuestionRow = Omit<typeof schema.sessionQuestions.$inferInsert, 'id' | 'sessionId'>;
export type MessageRow = typeof schema.messages.$inferSelect;
export type GradeRow = typeof schema.grades.$inferSelect;
export type DebriefRow = typeof schema.debriefs.$inferSelect;
export type IdempotencyRow = typeof schema.idempotencyKeys.$inferSelect;
export type UserRow = typeof schema.users.$inferSelect;
export type TokenRow = typeof schema.apiTokens.$inferSelect;
export type RecordingRow = typeof schema.recordings.$inferSelect;
/** A recording without its audio bytes (read on their own, only to play or export them). */
export type RecordingInfo = Omit<RecordingRow, 'audio'> & { hasAudio: boolean };

/** Summary figures of a session: questions, answered, mean score, tokens. */
export interface SessionStats {
  questions: number;
  graded: number;
  skipped: number;
  score: number | null;
  promptTokens: number;
  completionTokens: number;
}

export const EMPTY_STATS: SessionStats = { questions: 0, graded: 0, skipped: 0, score: null, promptTokens: 0, completionTokens: 0 };

export interface NewMessage {
  sessionId: string;
  sessionQuestionId: number | null;
  role: 'interviewer' | 'candidate';
  kind: MessageRow['kind'];
  content: string;
  usage?: Usage;
  at: Date;
}

export interface ProgressPoint {
  sessionId: string;
  sessionCreatedAt: string;
  gradedAt: string;
  questionId: string;
  category: string;
  rubricId: string;
  score: number;
}

/** A token with its user's name, as listed. */
export type TokenListing = Omit<TokenRow, 'hash' | 'userId'> & { user: string };

export interface Store {
  /** `sqlite` or `postgres`, and where (a file path, or the server without credentials), for logs. */
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  /** Resolves once the database is reachable, migrated and holds the bank; rejects with a ConfigError naming the setting. */
  readonly ready: Promise<void>;

  /**
   * Runs `fn` in one transaction, on `tx`: the calls made on `tx` are part of it; it commits
   * when `fn` resolves and rolls back when it throws. Writers are serialised: SQLite takes its
   * write lock first (BEGIN IMMEDIATE), PostgreSQL locks the rows a call asks to lock (`lock:
   * true` on `session`). A transaction started on `tx` is part of the same one.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** Writes this process's row of `write_probes`: throws when the database refuses writes (disk full, read-only). */
  probeWrite(at: Date): Promise<void>;
  close(): Promise<void>;

  // The bank (a copy for joins and history; reads come from memory)
  loadBank(entries: BankEntry[], at: Date): Promise<{ inserted: number; updated: number; unchanged: number }>;
  questionCount(): Promise<number>;

  // Sessions
  /** The session; with `lock`, its row stays locked to this transaction (another replica's turn waits). */
  session(id: string, options?: { lock?: boolean }): Promise<SessionRow | undefined>;
  insertSession(row: SessionRow, questions: NewSessionQuestionRow[]): Promise<SessionQuestionRow[]>;
  updateSession(id: string, set: Partial<SessionRow>): Promise<void>;
  /** Deletes the session and everything in it; false when there was none. Nothing of it stays readable in the files. */
  deleteSession(id: string): Promise<boolean>;
  questions(sessionId: string): Promise<SessionQuestionRow[]>;
  /** The question as it was asked; null for sessions stored before snapshots were kept. */
  snapshot(sessionQuestionId: number): Promise<BankEntry | null>;
  questionMessages(sessionQuestionId: number): Promise<MessageRow[]>;
  messages(sessionId: string): Promise<MessageRow[]>;
  /** The id of the interviewer's last message (what an answer replies to), 0 for none. */
  lastInterviewerMessageId(sessionId: string): Promise<number>;
  insertMessage(m: NewMessage): Promise<MessageRow>;
  insertGrade(g: { sessionId: string; sessionQuestionId: number; grade: Grade; usage?: Usage; at: Date }): Promise<void>;
  grades(sessionId: string): Promise<GradeRow[]>;
  /** The scores alone, without parsing the grades. */
  scores(sessionId: string): Promise<Array<{ sessionQuestionId: number; score: number }>>;
  /** The first answer's time stays: later ones are follow-up answers. */
  markAnswered(sessionQuestionId: number, at: Date): Promise<void>;
  setQuestionState(sessionQuestionId: number, state: SessionQuestionRow['state'], doneAt?: Date | null): Promise<void>;
  askQuestion(sessionQuestionId: number, at: Date): Promise<void>;
  countFollowUp(sessionQuestionId: number): Promise<void>;
  touch(sessionId: string, at: Date): Promise<void>;
  moveTo(sessionId: string, position: number, at: Date): Promise<void>;
  saveDebrief(sessionId: string, debrief: Debrief, at: Date): Promise<void>;
  debrief(sessionId: string): Promise<DebriefRow | undefined>;

  // Spoken answers
  insertRecording(row: RecordingRow): Promise<void>;
  recording(id: string): Promise<RecordingInfo | undefined>;
  recordingAudio(id: string): Promise<{ audio: Buffer; audioType: string } | undefined>;
  /** Links a recording to the answer it became (the candidate confirmed its transcript). */
  attachRecording(id: string, messageId: number): Promise<void>;
  recordings(sessionId: string): Promise<RecordingInfo[]>;
  /** The delivery of every spoken answer of the user's sessions, oldest first (Progress). */
  deliveries(userId: string): Promise<Array<{ sessionId: string; sessionCreatedAt: string; delivery: RecordingRow['delivery'] }>>;
  /** Deletes a recording not (yet) confirmed as an answer; false when there is none. */
  discardRecording(id: string): Promise<boolean>;

  // Turn claims and idempotency keys
  /** Claims the session's turn for `owner` until `until`; false when another owner's live claim holds it. */
  claimTurn(sessionId: string, owner: string, now: Date, until: Date): Promise<boolean>;
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
  saveIdempotency(row: {
    sessionId: string;
    key: string;
    fingerprint: string;
    state: IdempotencyRow['state'];
    result?: TurnResult;
    at: Date;
  }): Promise<void>;

  // Read models
  stats(sessionId: string): Promise<SessionStats>;
  statsOf(ids: string[]): Promise<Map<string, SessionStats>>;
  listSessions(userId: string, limit: number, offset: number): Promise<SessionRow[]>;
  countSessions(userId: string): Promise<number>;
  /** Question ids asked in the user's most recent sessions. */
  recentQuestionIds(userId: string, sessionsBack: number): Promise<Set<string>>;
  progress(userId: string): Promise<ProgressPoint[]>;

  // Accounts
  insertUser(row: UserRow): Promise<void>;
  /** The user of a name, whatever its case ("Alice" is "alice"). */
  userByName(name: string): Promise<UserRow | undefined>;
  /** Gives every session of one user to another (`user remove --hand-over-to`); how many moved. */
  handOverSessions(fromUserId: string, toUserId: string): Promise<number>;
  /** Users by name, each with how many live tokens they hold. */
  listUsers(): Promise<Array<UserRow & { tokens: number }>>;
  deleteUser(id: string): Promise<void>;
  insertToken(row: Omit<TokenRow, 'lastUsedAt' | 'revokedAt'>): Promise<void>;
  listTokens(): Promise<TokenListing[]>;
  tokenByPrefix(prefix: string): Promise<(TokenRow & { userName: string }) | undefined>;
  setTokenUsed(id: string, at: Date): Promise<void>;
  revokeToken(id: string, at: Date): Promise<void>;
  insertLogin(row: { hash: string; userId: string; tokenId: string; createdAt: string; expiresAt: string }): Promise<void>;
  /** The user of a sign-in, with its expiry and the state of the token that made it (null fields: no such token). */
  userOfLogin(
    hash: string,
  ): Promise<
    | { id: string; name: string; expiresAt: string; tokenId: string | null; tokenRevokedAt: string | null; tokenExpiresAt: string | null }
    | undefined
  >;
  deleteLogin(hash: string): Promise<void>;
  /** Adds model tokens to a user's month. */
  addUsage(userId: string, month: string, used: Usage): Promise<void>;
  /**
   * Holds up to `tokens` of the month's `budget` by adding them to its usage, as many as remain,
   * in one atomic statement (parallel requests cannot both take what is left): a reservation
   * before a costly call. Returns how many were held; 0 when the budget is spent.
   */
  reserveUsage(userId: string, month: string, tokens: number, budget: number): Promise<number>;
  usage(userId: string, month: string): Promise<{ promptTokens: number; completionTokens: number }>;
  /**
   * Counts a hit (or, with `by` -1, takes one back) against `key` in a fixed window: every
   * replica counts in the same row. Returns the hits in the current window and when it ends.
   */
  hit(key: string, windowMs: number, now: Date, by?: number): Promise<{ hits: number; resetAt: Date }>;
  resetHits(key: string): Promise<void>;
}

/** One session's figures from its question, grade and message aggregates. */
export function mergeStats(
  q: { questions: number; skipped: number } | undefined,
  g: { graded: number; score: number | null; promptTokens: number; completionTokens: number } | undefined,
  m: { promptTokens: number; completionTokens: number } | undefined,
): SessionStats {
  return {
    questions: Number(q?.questions ?? 0),
    skipped: Number(q?.skipped ?? 0),
    graded: Number(g?.graded ?? 0),
    score: g?.score == null ? null : Math.round(Number(g.score) * 10) / 10,
    promptTokens: Number(g?.promptTokens ?? 0) + Number(m?.promptTokens ?? 0),
    completionTokens: Number(g?.completionTokens ?? 0) + Number(m?.completionTokens ?? 0),
  };
}

/** Usage as stored: null columns when the model reported none. */
export const tokenColumns = (usage: Usage | undefined) => ({
  promptTokens: usage?.promptTokens ?? null,
  completionTokens: usage?.completionTokens ?? null,
});
