import { type AnySQLiteColumn, blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { BankEntry, Category, LeadershipPrinciple, RubricId, Topic } from '../../bank/schema.js';
import type { CodeRunResult } from '../../coding/results.js';
import type { Grade } from '../../grading/grade.js';
import type { Debrief } from '../../interview/debrief.js';
import type { LoopPlan } from '../../interview/plan.js';
import type { SessionRequest, TurnResult } from '../../interview/schemas.js';
import { MESSAGE_KINDS, QUESTION_STATES } from '../../shapes.js';
import type { Delivery, Segment } from '../../voice/delivery.js';

/** Times are ISO-8601 strings in UTC, set by the caller (never frozen by a prepared default). */

export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    number: integer('number'),
    prompt: text('prompt').notNull(),
    referenceAnswer: text('reference_answer').notNull(),
    category: text('category').$type<Category>().notNull(),
    rubricId: text('rubric_id').$type<RubricId>().notNull(),
    topics: text('topics', { mode: 'json' }).$type<Topic[]>().notNull(),
    leadershipPrinciples: text('leadership_principles', { mode: 'json' }).$type<LeadershipPrinciple[]>().notNull(),
    signals: text('signals', { mode: 'json' }).$type<string[]>().notNull(),
    pitfalls: text('pitfalls', { mode: 'json' }).$type<string[]>().notNull(),
    source: text('source').notNull(),
    /** Hash of the entry as loaded: a restart with the same bank changes nothing. */
    contentHash: text('content_hash').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('questions_category_idx').on(t.category), index('questions_source_idx').on(t.source)],
);

/** The owning session: rows go when their session is deleted. */
const sessionRef = () =>
  text('session_id')
    .notNull()
    .references((): AnySQLiteColumn => sessions.id, { onDelete: 'cascade' });

/** Tokens a model call used, as the endpoint reported them (null when it reported none). */
const tokens = () => ({ promptTokens: integer('prompt_tokens'), completionTokens: integer('completion_tokens') });

/** People who use a shared mockloop (AUTH=token or proxy). With AUTH=none every session belongs to LOCAL_USER. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: text('created_at').notNull(),
});

/** API tokens: only a hash is kept; `prefix` finds the row, the hash proves the token. */
export const apiTokens = sqliteTable(
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

/** Browser sign-ins: the cookie holds the id, the table its hash; signing out deletes the row. */
export const logins = sqliteTable('logins', {
  hash: text('hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The token that signed the browser in: revoking or deleting it ends the sign-in (null: from before 0.3, ended). */
  tokenId: text('token_id').references(() => apiTokens.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/** Model tokens used, per user and calendar month (UTC): what a budget is checked against. */
export const usage = sqliteTable(
  'usage',
  {
    userId: text('user_id').notNull(),
    month: text('month').notNull(),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.month] })],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    /** Whose session: a user id, or LOCAL_USER for the single user of AUTH=none. */
    userId: text('user_id').notNull().default('local'),
    /** active → (finishing) → finished; finishing means /finish was asked while a turn was still open. */
    status: text('status', { enum: ['active', 'finishing', 'finished'] }).notNull(),
    /** What the candidate asked for: mix, topics, questionIds, seed, maxFollowUps. */
    request: text('request', { mode: 'json' }).$type<SessionRequest>().notNull(),
    /** A loop's plan: its interviews, interviewers and owned principles (null outside a loop). */
    plan: text('plan', { mode: 'json' }).$type<LoopPlan>(),
    seed: text('seed').notNull(),
    maxFollowUps: integer('max_follow_ups').notNull(),
    currentPosition: integer('current_position').notNull().default(0),
    provider: text('provider').notNull(),
    model: text('model'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    finishedAt: text('finished_at'),
    /**
     * The turn in progress: who runs it and until when the claim holds. A turn claims its
     * session in a short BEGIN IMMEDIATE transaction, so two processes never run the same
     * session's turn at once; a claim left by a crash lapses at `turnClaimedUntil`.
     */
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
    scoreSum: real('score_sum').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
  },
  (t) => [
    index('sessions_created_idx').on(t.createdAt),
    index('sessions_claim_idx').on(t.turnClaimedUntil),
    index('sessions_user_idx').on(t.userId, t.createdAt),
  ],
);

export const sessionQuestions = sqliteTable(
  'session_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: sessionRef(),
    position: integer('position').notNull(),
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
    /** pending → asked → (followup)* → grading → graded | skipped */
    state: text('state', { enum: QUESTION_STATES }).notNull(),
    followUps: integer('follow_ups').notNull().default(0),
    timeBoxSeconds: integer('time_box_seconds').notNull(),
    askedAt: text('asked_at'),
    answeredAt: text('answered_at'),
    doneAt: text('done_at'),
    /** The question as it was asked (prompt, reference answer, signals…): exports and replays show this, not today's bank. */
    question: text('question', { mode: 'json' }).$type<BankEntry>(),
  },
  (t) => [uniqueIndex('session_questions_pos_idx').on(t.sessionId, t.position)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: sessionRef(),
    sessionQuestionId: integer('session_question_id').references(() => sessionQuestions.id, {
      onDelete: 'cascade',
    }),
    role: text('role', { enum: ['interviewer', 'candidate'] }).notNull(),
    kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
    content: text('content').notNull(),
    ...tokens(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('messages_session_idx').on(t.sessionId, t.id), index('messages_question_idx').on(t.sessionQuestionId, t.id)],
);

export const grades = sqliteTable(
  'grades',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionQuestionId: integer('session_question_id')
      .notNull()
      .unique()
      .references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    sessionId: sessionRef(),
    score: real('score').notNull(),
    grade: text('grade', { mode: 'json' }).$type<Grade>().notNull(),
    ...tokens(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('grades_session_idx').on(t.sessionId)],
);

export const debriefs = sqliteTable('debriefs', {
  sessionId: text('session_id')
    .primaryKey()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  debrief: text('debrief', { mode: 'json' }).$type<Debrief>().notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * Idempotency keys of turn requests (IETF httpapi Idempotency-Key draft): the same key with the
 * same body replays the stored result; with another body it is refused. Kept with the session.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    sessionId: sessionRef(),
    key: text('key').notNull(),
    /** sha256 of the action and the request body. */
    fingerprint: text('fingerprint').notNull(),
    /** running → done (result stored) | failed (the turn can run again with the same key). */
    state: text('state', { enum: ['running', 'done', 'failed'] }).notNull(),
    result: text('result', { mode: 'json' }).$type<TurnResult>(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.key] })],
);

/** One row per server process: readiness writes its time here, so a database that refuses writes (disk full) is not ready. */
export const writeProbes = sqliteTable('write_probes', {
  owner: text('owner').primaryKey(),
  at: text('at').notNull(),
});

/** Rate-limit windows (fixed, per key): shared by every process using the database. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: text('reset_at').notNull(),
});

/**
 * Spoken answers: the transcript (what was said, fillers included) with its timing and the
 * delivery figures. A recording is made before the candidate confirms the text; the confirmed
 * answer message points back at it. The audio itself is kept only with KEEP_AUDIO=true.
 */
export const recordings = sqliteTable(
  'recordings',
  {
    id: text('id').primaryKey(),
    sessionId: sessionRef(),
    sessionQuestionId: integer('session_question_id')
      .notNull()
      .references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    /** The answer it became, once confirmed. */
    messageId: integer('message_id')
      .unique()
      .references(() => messages.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['server', 'browser'] }).notNull(),
    transcript: text('transcript').notNull(),
    segments: text('segments', { mode: 'json' }).$type<Segment[]>().notNull(),
    durationMs: integer('duration_ms').notNull(),
    delivery: text('delivery', { mode: 'json' }).$type<Delivery>().notNull(),
    audio: blob('audio', { mode: 'buffer' }),
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
export const storyEdits = sqliteTable(
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

/**
 * The coding round's runs: each time the candidate ran (the visible tests) or submitted (every
 * test) their code, the code as it was, and what the judge and the growth measurement made of it.
 */
export const codeRuns = sqliteTable(
  'code_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: sessionRef(),
    sessionQuestionId: integer('session_question_id')
      .notNull()
      .references(() => sessionQuestions.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['run', 'submit'] }).notNull(),
    language: text('language', { enum: ['javascript', 'python'] }).notNull(),
    code: text('code').notNull(),
    result: text('result', { mode: 'json' }).$type<CodeRunResult>().notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('code_runs_session_idx').on(t.sessionId, t.id)],
);
