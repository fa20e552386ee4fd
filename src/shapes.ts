/**
 * The enums the stored rows and the API share. This module imports nothing of ours, so the
 * database schemas, the row types and the API schemas can all build on it without a circle.
 */

/** What a message in the transcript is. */
export const MESSAGE_KINDS = ['opening', 'question', 'followup', 'answer', 'skip', 'closing'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Where a question of a session stands. */
export const QUESTION_STATES = ['pending', 'asked', 'grading', 'graded', 'skipped'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

/** Amazon's engineering levels a candidate practises for: SDE I (L4) to Principal (L7). */
export const LEVELS = ['L4', 'L5', 'L6', 'L7'] as const;
export type Level = (typeof LEVELS)[number];
