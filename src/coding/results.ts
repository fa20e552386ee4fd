import type { Judgement } from './judge.js';
import type { Language } from './types.js';

/**
 * How a solution's running time grows: its median time on inputs of growing size n (the problem's
 * growth generator), the exponent fitted to them (time ~ n^k), and the complexity class that
 * exponent reads as, next to the one the problem expects.
 */
export interface Growth {
  points: { n: number; ms: number }[];
  /** The fitted exponent k, or null when the times were too small or too noisy to fit. */
  exponent: number | null;
  /** 'O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)' or 'O(2^n)'-like, or null. */
  measured: string | null;
  expected: string;
  /** The measured growth is no worse than the expected one (within the measurement's tolerance). */
  withinExpected: boolean | null;
}

/** What one run of the candidate's code came to: the sandbox's outcome, the judge's verdicts and, for a submit, the growth. */
export interface CodeRunResult {
  status: Judgement['status'];
  error?: string;
  output: string;
  durationMs: number;
  judgement: Judgement;
  growth?: Growth;
}

/** A stored run, as the read models and the grader see it. */
export interface CodeRun {
  id: number;
  sessionQuestionId: number;
  kind: 'run' | 'submit';
  language: Language;
  code: string;
  result: CodeRunResult;
  createdAt: string;
}
