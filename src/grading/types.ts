import type { Category } from '../bank/schema.js';
import type { CodeEvidence } from './code-evidence.js';
import type { Grade } from './grade.js';
import type { Usage } from '../llm/usage.js';
import type { Level } from './levels.js';
import type { Rubric } from './rubrics.js';

/** What a grader needs: the question, its reference answer or signals, the rubric, the answer. */
export interface GradeInput {
  questionId: string;
  question: string;
  referenceAnswer: string;
  rubric: Rubric;
  category?: Category;
  /** For the Leadership Principles pack, which has no single reference answer. */
  signals?: string[];
  pitfalls?: string[];
  leadershipPrinciples?: string[];
  /** Everything the candidate said for this question, follow-up answers included. */
  answer: string;
  /** The whole exchange, when there were follow-ups. */
  exchange?: Array<{ role: 'interviewer' | 'candidate'; content: string }>;
  /**
   * Set when the question has no reference answer and no signals by nature (a question made from
   * the candidate's résumé): why it is graded on the rubric only. Said in the grade.
   */
  rubricOnly?: string;
  /** The level whose bar the answer is graded against (DEFAULT_LEVEL when not given). */
  level?: Level;
  /** For a coding problem: what its runs showed (tests passed, growth measured), which decides correctness. */
  code?: CodeEvidence;
}

export interface GradeResult {
  grade: Grade;
  usage?: Usage;
}

export interface Grader {
  readonly kind: 'llm' | 'offline';
  grade(input: GradeInput, options?: { signal?: AbortSignal }): Promise<GradeResult>;
}
