import type { CodeRun } from '../coding/results.js';
import type { BankEntry, Category, LeadershipPrinciple, RubricId, Topic } from '../bank/schema.js';
import type { Grade } from '../grading/grade.js';
import type { Debrief } from '../interview/debrief.js';
import type { LoopPlan } from '../interview/plan.js';
import type { SessionRequest, TurnResult } from '../interview/schemas.js';
import type { MessageKind, QuestionState } from '../shapes.js';
import type { Delivery, Segment } from '../voice/delivery.js';

/**
 * The rows mockloop keeps, one interface a table, written once for both databases: each
 * dialect's schema (`sqlite/schema.ts`, `postgres/schema.ts`) is checked against them column for
 * column (`RowsMatch` at its end fails `tsc` when they drift). Times are ISO-8601 strings in UTC,
 * set by the caller; JSON columns hold the types named here.
 */

/** A bank entry as copied into the database (for joins and history; reads come from memory). */
export interface QuestionRow {
  id: string;
  number: number | null;
  prompt: string;
  referenceAnswer: string;
  category: Category;
  rubricId: RubricId;
  topics: Topic[];
  leadershipPrinciples: LeadershipPrinciple[];
  signals: string[];
  pitfalls: string[];
  source: string;
  /** Hash of the entry as loaded: a restart with the same bank changes nothing. */
  contentHash: string;
  updatedAt: string;
}

export interface UserRow {
  id: string;
  name: string;
  createdAt: string;
}

/** An API token: only a hash is kept; `prefix` finds the row, the hash proves the token. */
export interface TokenRow {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A browser sign-in: the cookie holds the id, the row its hash. */
export interface LoginRow {
  hash: string;
  userId: string;
  /** The token that signed the browser in (null: from before 0.3, ended). */
  tokenId: string | null;
  createdAt: string;
  expiresAt: string;
}

/** Model tokens used by a user in a calendar month (UTC). */
export interface UsageRow {
  userId: string;
  month: string;
  promptTokens: number;
  completionTokens: number;
}

export interface SessionRow {
  id: string;
  userId: string;
  status: 'active' | 'finishing' | 'finished';
  request: SessionRequest;
  /** A loop's interviews, interviewers and owned principles (null: a practice session, or one from before loops). */
  plan: LoopPlan | null;
  seed: string;
  maxFollowUps: number;
  currentPosition: number;
  provider: string;
  model: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  turnClaimedBy: string | null;
  turnClaimedUntil: string | null;
  /** The request whose turn holds the claim, and its trace: recovery logs and traces under them (cleared with the claim). */
  turnRequestId: string | null;
  turnTraceParent: string | null;
  /** Running totals, kept by the database as questions, grades and messages are written (`totalsOf`). */
  questionCount: number;
  skippedCount: number;
  gradedCount: number;
  scoreSum: number;
  promptTokens: number;
  completionTokens: number;
}

/** The running totals a session's row keeps (by the database's triggers, see the `sessions` table). */
export const TOTALS = ['questionCount', 'skippedCount', 'gradedCount', 'scoreSum', 'promptTokens', 'completionTokens'] as const;
export type Totals = Pick<SessionRow, (typeof TOTALS)[number]>;

/** A question of a session without its snapshot (read on its own, and only when needed). */
export interface SessionQuestionRow {
  id: number;
  sessionId: string;
  position: number;
  questionId: string;
  state: QuestionState;
  followUps: number;
  timeBoxSeconds: number;
  askedAt: string | null;
  answeredAt: string | null;
  doneAt: string | null;
}

/** The stored row: with the question as it was asked (null for sessions stored before snapshots were kept). */
export interface SessionQuestionWithSnapshot extends SessionQuestionRow {
  question: BankEntry | null;
}

export type NewSessionQuestionRow = Omit<SessionQuestionWithSnapshot, 'id' | 'sessionId'>;

export interface MessageRow {
  id: number;
  sessionId: string;
  sessionQuestionId: number | null;
  role: 'interviewer' | 'candidate';
  kind: MessageKind;
  content: string;
  promptTokens: number | null;
  completionTokens: number | null;
  createdAt: string;
}

export interface GradeRow {
  id: number;
  sessionQuestionId: number;
  sessionId: string;
  score: number;
  grade: Grade;
  promptTokens: number | null;
  completionTokens: number | null;
  createdAt: string;
}

export interface DebriefRow {
  sessionId: string;
  debrief: Debrief;
  createdAt: string;
}

export interface IdempotencyRow {
  sessionId: string;
  key: string;
  /** sha256 of the action and the request body. */
  fingerprint: string;
  state: 'running' | 'done' | 'failed';
  result: TurnResult | null;
  createdAt: string;
}

export interface WriteProbeRow {
  owner: string;
  at: string;
}

export interface RateLimitRow {
  key: string;
  hits: number;
  resetAt: string;
}

export interface RecordingRow {
  id: string;
  sessionId: string;
  sessionQuestionId: number;
  /** The answer it became, once confirmed. */
  messageId: number | null;
  source: 'server' | 'browser';
  transcript: string;
  segments: Segment[];
  durationMs: number;
  delivery: Delivery;
  audio: Buffer | null;
  audioType: string | null;
  createdAt: string;
}

/**
 * A candidate's edit of a story in their bank. Stories are read from the answers; this row is
 * what the candidate changed, applied each time the bank is read. `storyKey` is the story's id,
 * its first telling ("<sessionId>:<position>"), which later loops do not change.
 */
export interface StoryEditRow {
  userId: string;
  storyKey: string;
  /** The title the candidate gave it (null: the one read from the answer). */
  title: string | null;
  /** The story it was merged into (its id); its tellings count there. */
  mergedInto: string | null;
  /** When the candidate deleted it; a retelling in a later loop stays deleted with it. */
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A recording without its audio bytes (read on their own, only to play or export them). */
export type RecordingInfo = Omit<RecordingRow, 'audio'> & { hasAudio: boolean };

/**
 * Each table's rows, by the names a dialect's schema module exports its tables under: `rows-match.ts`
 * checks `NoDrift<Drifted<typeof schema>>` for each dialect, which `tsc` refuses, naming the
 * tables, unless every table is there and selects exactly these rows.
 */
export interface Rows {
  questions: QuestionRow;
  users: UserRow;
  apiTokens: TokenRow;
  logins: LoginRow;
  usage: UsageRow;
  sessions: SessionRow;
  sessionQuestions: SessionQuestionWithSnapshot;
  messages: MessageRow;
  grades: GradeRow;
  debriefs: DebriefRow;
  idempotencyKeys: IdempotencyRow;
  writeProbes: WriteProbeRow;
  rateLimits: RateLimitRow;
  recordings: RecordingRow;
  storyEdits: StoryEditRow;
  codeRuns: CodeRun & { sessionId: string };
}

/** True only when A and B are the same type (not merely assignable: optional, `any` and extra columns count). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Flat<T> = { [K in keyof T]: T[K] };

/** The names of the tables whose selected rows are not the ones in `Rows` (`never` when the schema is in step). */
export type Drifted<Schema> = {
  [K in keyof Rows]: K extends keyof Schema
    ? Schema[K] extends { $inferSelect: infer Selected }
      ? Same<Flat<Selected>, Flat<Rows[K]>> extends true
        ? never
        : K
      : K
    : K;
}[keyof Rows];

/** Accepts `never` only: `NoDrift<Drifted<…>>` fails with the drifted tables' names. */
export type NoDrift<T extends never> = T;
