import {
  type AnyPgColumn,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { BankEntry, Category, LeadershipPrinciple, RubricId, Topic } from '../../bank/schema.js';
import type { CodeRunResult } from '../../coding/results.js';
import type { Grade } from '../../grading/grade.js';
import type { Debrief } from '../../interview/debrief.js';
import type { LoopPlan } from '../../interview/plan.js';
import type { SessionRequest, TurnResult } from '../../interview/schemas.js';
import { MESSAGE_KINDS, QUESTION_STATES } from '../../shapes.js';
import type { Delivery, Segment } from '../../voice/delivery.js';

/**
 * The PostgreSQL schema: the same tables, columns and row types as `../sqlite/schema.ts` (a test
 * keeps them in step), in PostgreSQL's types: jsonb for JSON, double precision for scores,
 * serial ids. Times are ISO-8601 strings in UTC, set by the caller, as in SQLite, so both stores
 * compare and return them the same way.
 */

export const questions = pgTable(
  'questions',
  {
    id: text('id').primaryKey(),
    number: integer('number'),
    prompt: text('prompt').notNull(),
    referenceAnswer: text('reference_answer').notNull(),
    category: text('category').$type<Category>().notNull(),
    rubricId: text('rubric_id').$type<RubricId>().notNull(),
    topics: jsonb('topics').$type<Topic[]>().notNull(),
    leadershipPrinciples: jsonb('leadership_principles').$type<LeadershipPrinciple[]>().notNull(),
    signals: jsonb('signals').$type<string[]>().notNull(),
    pitfalls: jsonb('pitfalls').$type<string[]>().notNull(),
    source: text('source').notNull(),
    contentHash: text('content_hash').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('questions_category_idx').on(t.category), index('questions_source_idx').on(t.source)],
);

const sessionRef = () =>
  text('session_id')
    .notNull()
    .references((): AnyPgColumn => sessions.id, { onDelete: 'cascade' });

const tokens = () => ({ promptTokens: integer('prompt_tokens'), completionTokens: integer('completion_tokens') });

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: text('created_at').notNull(),
});

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull().unique(),
    hash: text('hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at'),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

export const logins = pgTable('logins', {
  hash: text('hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The token that signed the browser in: revoking or deleting it ends the sign-in (null: from before 0.3, ended). */
  tokenId: text('token_id').references(() => apiTokens.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

export const usage = pgTable(
  'usage',
  {
    userId: text('user_id').notNull(),
    month: text('month').notNull(),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.month] })],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().default('local'),
    status: text('status', { enum: ['active', 'finishing', 'finished'] }).notNull(),
    request: jsonb('request').$type<SessionRequest>().notNull(),
    plan: jsonb('plan').$type<LoopPlan>(),
    seed: text('seed').notNull(),
    maxFollowUps: integer('max_follow_ups').notNull(),
    currentPosition: integer('current_position').notNull().default(0),
    provider: text('provider').notNull(),
    model: text('model'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    finishedAt: text('finished_at'),
    turnClaimedBy: text('turn_claimed_by'),
    turnClaimedUntil: text('turn_claimed_until'),
    /**
     * The request whose turn holds the claim (its X-Request-Id) and its trace (W3C traceparent):
     * a replica that completes the turn after a crash logs it under the same id, linked to its trace.
     */
    turnRequestId: text('turn_request_id'),
    turnTraceParent: text('turn_trace_parent'),
    /**
     * Running totals, kept by the database's triggers as questions, grades and messages are written
     * (migration 0010 in SQLite, 0006 in PostgreSQL), so no read of a session's figures aggregates.
     */
    questionCount: integer('question_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    gradedCount: integer('graded_count').notNull().default(0),
    scoreSum: doublePrecision('score_sum').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
  },
  (t) => [
    index('sessions_created_idx').on(t.createdAt),
    index('sessions_claim_idx').on(t.turnClaimedUntil),
    index('sessions_user_idx').on(t.userId, t.createdAt),
  ],
);

export const sessionQuestions = pgTable(
  'session_questions',
  {
    id: serial('id').primaryKey(),
    sessionId: sessionRef(),
    position: integer('position').notNull(),
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
    state: text('state', { enum: QUESTION_STATES }).notNull(),
    followUps: integer('follow_ups').notNull().default(0),
    timeBoxSeconds: integer('time_box_seconds').notNull(),
    askedAt: text('asked_at'),
    answeredAt: text('answered_at'),
    doneAt: text('done_at'),
    question: jsonb('question').$type<BankEntry>(),
  },
  (t) => [uniqueIndex('session_questions_pos_idx').on(t.sessionId, t.position)],
);

export const messages = pgTable(
  'messages',
  {
    id: serial('id').primaryKey(),
    sessionId: sessionRef(),
    sessionQuestionId: integer('session_question_id').references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['interviewer', 'candidate'] }).notNull(),
    kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
    content: text('content').notNull(),
    ...tokens(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('messages_session_idx').on(t.sessionId, t.id), index('messages_question_idx').on(t.sessionQuestionId, t.id)],
);

export const grades = pgTable(
  'grades',
  {
    id: serial('id').primaryKey(),
    sessionQuestionId: integer('session_question_id')
      .notNull()
      .unique()
      .references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    sessionId: sessionRef(),
    score: doublePrecision('score').notNull(),
    grade: jsonb('grade').$type<Grade>().notNull(),
    ...tokens(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('grades_session_idx').on(t.sessionId)],
);

export const debriefs = pgTable('debriefs', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  debrief: jsonb('debrief').$type<Debrief>().notNull(),
  createdAt: text('created_at').notNull(),
});

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    sessionId: sessionRef(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    state: text('state', { enum: ['running', 'done', 'failed'] }).notNull(),
    result: jsonb('result').$type<TurnResult>(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.key] })],
);

/** One row per server process: readiness writes its time here, so a database that refuses writes (disk full) is not ready. */
export const writeProbes = pgTable('write_probes', {
  owner: text('owner').primaryKey(),
  at: text('at').notNull(),
});

export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: text('reset_at').notNull(),
});

/** Raw bytes (the kept audio of a spoken answer). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const recordings = pgTable(
  'recordings',
  {
    id: text('id').primaryKey(),
    sessionId: sessionRef(),
    sessionQuestionId: integer('session_question_id')
      .notNull()
      .references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    messageId: integer('message_id')
      .unique()
      .references(() => messages.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['server', 'browser'] }).notNull(),
    transcript: text('transcript').notNull(),
    segments: jsonb('segments').$type<Segment[]>().notNull(),
    durationMs: integer('duration_ms').notNull(),
    delivery: jsonb('delivery').$type<Delivery>().notNull(),
    audio: bytea('audio'),
    audioType: text('audio_type'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('recordings_session_idx').on(t.sessionId)],
);

/**
 * The candidate's edits of their story bank (renamed, merged, deleted), per user: the stories are
 * read from the answers, and these rows are applied to them each time. No reference to users: the
 * single user of AUTH=none has no row there.
 */
export const storyEdits = pgTable(
  'story_edits',
  {
    userId: text('user_id').notNull(),
    storyKey: text('story_key').notNull(),
    title: text('title'),
    mergedInto: text('merged_into'),
    deletedAt: text('deleted_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.storyKey] })],
);

/** The coding round's runs (`../sqlite/schema.ts` explains them). */
export const codeRuns = pgTable(
  'code_runs',
  {
    id: serial('id').primaryKey(),
    sessionId: sessionRef(),
    sessionQuestionId: integer('session_question_id')
      .notNull()
      .references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['run', 'submit'] }).notNull(),
    language: text('language', { enum: ['javascript', 'python'] }).notNull(),
    code: text('code').notNull(),
    result: jsonb('result').$type<CodeRunResult>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('code_runs_session_idx').on(t.sessionId, t.id)],
);
