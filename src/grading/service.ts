import type { Config } from '../config.js';
import type { BankEntry } from '../bank/schema.js';
import { AppError } from '../errors.js';
import { createModel, type Model } from '../llm/client.js';
import { LlmGrader } from './llm.js';
import { OfflineGrader } from './offline/index.js';
import type { Rubric } from './rubrics.js';
import { POINTS_CRITERION } from './card.js';
import type { Grader, GradeInput } from './types.js';

/** Why a question made from the résumé is graded on the rubric only: said to the model grader and on the card. */
export const RESUME_RUBRIC_ONLY =
  'a question made from your résumé has no reference answer: it is graded on the rubric only (how you tell it: situation, your own actions, results, reflection)';

/**
 * The rubric a question is graded on. A question made from the résumé asks about no Leadership
 * Principle: the star rubric's principle criterion has nothing to judge there (and would score it
 * as missing), so it is graded on the other criteria (situation, action, result, reflection).
 */
export function rubricFor(q: BankEntry, rubric: Rubric): Rubric {
  if (!q.resume || q.leadershipPrinciples.length) return rubric;
  return { ...rubric, criteria: rubric.criteria.filter((c) => c.id !== POINTS_CRITERION.star) };
}

/** The longest answer we grade, in characters (about 1,500 words). */
export const MAX_ANSWER_CHARS = 10_000;

export function createGrader(config: Config, provider: Config['provider'] = config.provider, model?: Model): Grader {
  if (provider === 'offline') return new OfflineGrader();
  return new LlmGrader(model ?? createModel(config.openai));
}

/** Reads the question from a grade request: a bank id, or an inline question. */
export function gradeTarget(body: Record<string, unknown>): GradeTarget {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const questionId = str('questionId');
  if (questionId) return { questionId };
  const question = str('question');
  const referenceAnswer = str('referenceAnswer');
  const rubricId = str('rubricId');
  if (question && referenceAnswer !== undefined && rubricId) return { question, referenceAnswer, rubricId };
  throw new AppError('bad_request', 'Give either "questionId" or all of "question", "referenceAnswer" and "rubricId"');
}

export type GradeTarget = { questionId: string } | { question: string; referenceAnswer: string; rubricId: string };

/** White space and characters that show nothing: an answer of only these is empty. */
const INVISIBLE = /[\s\u00AD\u180E\u200B-\u200F\u2028-\u202F\u205F-\u206F\uFEFF]/gu;

/**
 * The one rule for an answer, over HTTP and on the command line: not empty once invisible
 * characters are removed, well-formed text (stored exactly as sent), and at most
 * MAX_ANSWER_CHARS characters, counted as Unicode code points (an emoji is one character).
 */
export function checkAnswer(answer: unknown): string {
  if (typeof answer !== 'string' || answer.replace(INVISIBLE, '') === '') {
    throw new AppError('bad_request', 'The answer is empty: write your answer first');
  }
  if (!answer.isWellFormed()) {
    throw new AppError('bad_request', 'The answer contains an invalid character (an unpaired surrogate) and cannot be stored as sent');
  }
  const length = [...answer].length;
  if (length > MAX_ANSWER_CHARS) {
    throw new AppError('bad_request', `The answer is ${length} characters long; the limit is ${MAX_ANSWER_CHARS}`);
  }
  return answer;
}

export function inputForQuestion(
  q: BankEntry,
  rubrics: Map<string, Rubric>,
  answer: string,
  exchange?: GradeInput['exchange'],
): GradeInput {
  const loaded = rubrics.get(q.rubric);
  if (!loaded) throw new AppError('internal', `Question ${q.id} uses rubric "${q.rubric}", which is not loaded`);
  const rubric = rubricFor(q, loaded);
  return {
    questionId: q.id,
    question: q.prompt,
    referenceAnswer: q.referenceAnswer,
    rubric,
    category: q.category,
    signals: q.signals,
    pitfalls: q.pitfalls,
    leadershipPrinciples: q.leadershipPrinciples,
    ...(q.resume && { rubricOnly: RESUME_RUBRIC_ONLY }),
    answer,
    exchange,
  };
}

/** Resolves a bank question id, or an inline question, into what a grader needs. */
export function resolveGradeInput(
  findQuestion: (id: string) => BankEntry | undefined,
  rubrics: Map<string, Rubric>,
  target: GradeTarget,
  answer: unknown,
): GradeInput {
  const text = checkAnswer(answer);
  if ('questionId' in target) {
    const q = findQuestion(target.questionId);
    if (!q) throw new AppError('not_found', `No question with id "${target.questionId}"`);
    return inputForQuestion(q, rubrics, text);
  }
  const rubric = rubrics.get(target.rubricId);
  if (!rubric) throw new AppError('bad_request', `Unknown rubricId "${target.rubricId}" (available: ${[...rubrics.keys()].join(', ')})`);
  return { questionId: 'inline', question: target.question, referenceAnswer: target.referenceAnswer, rubric, answer: text };
}
