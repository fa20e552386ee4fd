import { CodingView } from './coding-view.js';
import { z } from '@hono/zod-openapi';
import { CATEGORIES, Topic } from '../bank/schema.js';
import { Grade } from '../grading/grade.js';
import { Level } from '../grading/levels.js';
import { LoopPlan, MAX_INTERVIEWS } from './plan.js';
import { MESSAGE_KINDS, QUESTION_STATES } from '../shapes.js';
import { wholeNumber } from '../validation.js';
import { Recording } from '../voice/schemas.js';
import { JobDescriptionText, ResumeText, Tailoring } from '../tailor/schema.js';
import { Debrief } from './debrief.js';
import { InterviewFeedback, StoryReuse } from './feedback.js';

/**
 * The shapes of the sessions feature, defined once: the API validates and documents them, the
 * loop and the read models return them, and their types are inferred from here.
 */

const count = wholeNumber(0, 10);

export const Mix = z
  .object({
    behavioral: count.optional(),
    technical: count.optional(),
    coding: count.optional(),
    system_design: count.optional(),
    company: count.optional(),
  })
  .strict();
export type Mix = z.infer<typeof Mix>;

/** An SDE loop: two behavioural, two technical, one system design. */
export const DEFAULT_MIX: Mix = { behavioral: 2, technical: 2, system_design: 1 };
export const DEFAULT_MAX_FOLLOW_UPS = 2;
export const MAX_FOLLOW_UPS = 3;

/** The default mix of a practice session at each level: no design at SDE I, two designs from SDE III. */
export const MIX_BY_LEVEL: Record<Level, Mix> = {
  L4: { behavioral: 2, technical: 3 },
  L5: DEFAULT_MIX,
  L6: { behavioral: 2, technical: 1, system_design: 2 },
  L7: { behavioral: 2, technical: 1, system_design: 2 },
};

const SessionOptions = z.object({
  level: Level.optional().openapi({
    description: 'The level the candidate interviews for: sets the default mix and the bar (default L5, SDE II)',
  }),
  interviews: wholeNumber(1, MAX_INTERVIEWS, { message: `must be a whole number from 1 to ${MAX_INTERVIEWS}` })
    .optional()
    .openapi({
      description:
        'A loop of this many interviews, each with its interviewer owning Leadership Principles (a whole loop: 4 at L4, 4 and the Bar Raiser from L5). Not with mix or questionIds.',
    }),
  mix: Mix.optional().openapi({
    example: DEFAULT_MIX,
    description: 'Questions per category; default an SDE loop (2 behavioural, 2 technical, 1 system design)',
  }),
  questionIds: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(20)
    .optional()
    .openapi({ description: 'Exactly these questions, in this order (overrides mix)' }),
  topics: z.array(Topic).max(10).optional().openapi({ description: 'Prefer questions on these topics' }),
  maxFollowUps: wholeNumber(0, MAX_FOLLOW_UPS, { message: 'must be 0, 1, 2 or 3' })
    .optional()
    .openapi({ description: 'Follow-up questions per question (0–3, default 2)' }),
  jobDescription: JobDescriptionText.optional(),
  resume: ResumeText.optional(),
});

export const CreateSession = SessionOptions.extend({
  seed: z
    .union([z.string().min(1).max(100), z.number().int()], { error: 'must be a string (up to 100 characters) or a whole number' })
    .transform(String)
    .optional()
    .openapi({ description: 'The same seed gives the same questions' }),
})
  .strict()
  .openapi('CreateSession');
export type CreateSessionRequest = z.output<typeof CreateSession>;

/** What a session was started with, as stored: the seed is always set. */
export const SessionRequest = SessionOptions.extend({
  seed: z.string(),
  tailoring: Tailoring.optional().openapi({ description: 'What was read from the job description and the résumé, when either was given' }),
}).openapi('SessionRequest');
export type SessionRequest = z.infer<typeof SessionRequest>;

/** What the page needs to offer the same defaults as the API. */
export const SessionDefaults = z
  .object({
    mix: Mix,
    maxFollowUps: z.number().int(),
    maxFollowUpsLimit: z.number().int(),
    categories: z.array(z.enum(CATEGORIES)).openapi({ description: 'The order categories are asked in' }),
    level: Level,
    levels: z
      .array(z.object({ id: Level, name: z.string(), interviews: z.number().int(), mix: Mix }))
      .openapi({ description: 'Each level: its name, the interviews of its whole loop, and its practice mix' }),
  })
  .openapi('SessionDefaults');

export const Usage = z.object({ promptTokens: z.number(), completionTokens: z.number() });

/** Ids of messages and questions are numbers within their session: they say nothing of other sessions. */
const MessageNumber = z
  .number()
  .int()
  .openapi({ description: "The message's number in its session (1, 2, 3… in order): what `replyTo` takes" });
const QuestionNumber = z.number().int().openapi({ description: "The question's number in its session (its position + 1)" });

export const Message = z
  .object({
    id: MessageNumber,
    role: z.enum(['interviewer', 'candidate']),
    kind: z.enum(MESSAGE_KINDS),
    content: z.string(),
    sessionQuestionId: QuestionNumber.nullable().openapi({
      description: "The id of the question it belongs to (the question's number in its session), null for the opening and closing",
    }),
    position: z.number().int().nullable(),
    createdAt: z.string(),
    usage: Usage.nullable(),
    spoken: Recording.nullable()
      .optional()
      .openapi({ description: 'For a spoken answer: its transcript, delivery figures and kept audio' }),
  })
  .openapi('Message');
export type Message = z.infer<typeof Message>;

export const SessionSummary = z
  .object({
    id: z.string(),
    status: z.enum(['active', 'finished']),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    provider: z.string(),
    model: z.string().nullable(),
    loop: z.string(),
    level: Level.nullable().openapi({ description: 'The level practised for (null: a session from before levels)' }),
    questionCount: z.number().int(),
    gradedCount: z.number().int(),
    skippedCount: z.number().int(),
    score: z.number().nullable().openapi({ description: 'Mean score of the graded questions' }),
    tokens: z.object({ prompt: z.number(), completion: z.number() }),
  })
  .openapi('SessionSummary');
export type SessionSummary = z.infer<typeof SessionSummary>;

export const SessionList = z
  .object({ items: z.array(SessionSummary), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('SessionList');
export type SessionList = z.infer<typeof SessionList>;

export const SessionQuestion = z
  .object({
    id: QuestionNumber,
    position: z.number().int(),
    questionId: z.string(),
    prompt: z.string().nullable().openapi({ description: 'null until the question is asked' }),
    category: z.enum(CATEGORIES),
    rubricId: z.string(),
    topics: z.array(z.string()),
    leadershipPrinciples: z.array(z.string()),
    state: z.enum(QUESTION_STATES),
    followUps: z.number().int(),
    timeBoxSeconds: z.number().int(),
    askedAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    doneAt: z.string().nullable(),
    referenceAnswer: z.string().nullable().openapi({ description: 'Revealed once the question is over' }),
    signals: z.array(z.string()),
    grade: Grade.nullable(),
    gradeUsage: Usage.nullable(),
    interview: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'In a loop, the index of the interview (in plan.interviews) that asks it' }),
    retold: z.array(StoryReuse).openapi({ description: 'Where this answer tells the same story as another answer of the session' }),
    coding: CodingView.optional().openapi({
      description: 'A coding problem, once asked: the problem as the candidate sees it, and each run of their code',
    }),
  })
  .openapi('SessionQuestion');

export const Session = SessionSummary.extend({
  request: SessionRequest,
  seed: z.string(),
  maxFollowUps: z.number().int(),
  currentPosition: z.number().int(),
  plan: LoopPlan.nullable().openapi({ description: "A loop's interviews, interviewers and owned principles; null for a practice session" }),
  tailoring: Tailoring.nullable().openapi({
    description:
      'What the loop was tailored to: the principles and topics the job stresses and the résumé items asked about; null when untailored',
  }),
  feedback: z
    .array(InterviewFeedback)
    .openapi({ description: 'In a loop, the written feedback and vote of each interview that is over (all its questions done)' }),
  questions: z.array(SessionQuestion),
  messages: z.array(Message),
  debrief: Debrief.nullable(),
}).openapi('Session');
export type Session = z.infer<typeof Session>;

export const GradeEvent = z.object({ sessionQuestionId: QuestionNumber, position: z.number().int(), grade: Grade }).openapi('GradeEvent');
export type GradeEvent = z.infer<typeof GradeEvent>;

/** Where a session stands after a turn: its summary and the question it is on. */
export const SessionState = SessionSummary.extend({
  currentPosition: z.number().int(),
  maxFollowUps: z.number().int(),
}).openapi('SessionState');
export type SessionState = z.infer<typeof SessionState>;

export const TurnResult = z
  .object({
    messages: z.array(Message).openapi({ description: 'Messages stored by this call (the answer and the interviewer reply)' }),
    grades: z.array(GradeEvent).openapi({ description: 'Grades given by this call' }),
    session: SessionState.openapi({ description: 'Where the session stands now; GET /api/sessions/{id} has all of it' }),
  })
  .openapi('TurnResult');
export type TurnResult = z.infer<typeof TurnResult>;
