import type { BankEntry } from '../bank/schema.js';
import { AppError } from '../errors.js';
import type { Level } from '../grading/levels.js';
import { preferenceOf, resumeQuestion } from '../tailor/questions.js';
import type { Tailor, Tailoring } from '../tailor/schema.js';
import type { Usage } from '../llm/usage.js';
import { type LoopPlan, planLoop } from './plan.js';
import { type CreateSessionRequest, MIX_BY_LEVEL } from './schemas.js';
import { selectQuestions } from './selection.js';

/**
 * What a new session asks: a loop's plan or a practice session's questions, tailored when the
 * candidate gave a job description or a résumé (the job's principles and topics first, and a
 * question about the résumé's first item).
 */
export interface Composed {
  plan: LoopPlan | null;
  questions: BankEntry[];
  tailoring?: Tailoring;
  /** The model tokens tailoring used. */
  usage?: Usage;
}

export async function composeSession(
  req: CreateSessionRequest,
  o: { bank: readonly BankEntry[]; level: Level; seed: string; recent?: Set<string>; tailor?: Tailor; signal?: AbortSignal },
): Promise<Composed> {
  if (req.interviews !== undefined && (req.mix || req.questionIds)) {
    throw new AppError('bad_request', 'interviews plans a whole loop: give it without mix or questionIds');
  }
  const jobDescription = req.jobDescription?.trim();
  const resume = req.resume?.trim();
  const read = (jobDescription || resume) && o.tailor ? await o.tailor({ jobDescription, resume }, o.signal) : undefined;
  const tailoring = read?.tailoring;
  const usage = read?.usage;
  const prefer = preferenceOf(tailoring);
  const first = tailoring?.resumeItems[0];
  const extra = first ? [resumeQuestion(first)] : [];
  const common = { bank: o.bank, seed: o.seed, topics: req.topics, recent: o.recent, prefer, extra };
  if (req.interviews !== undefined) return { ...planLoop({ ...common, level: o.level, interviews: req.interviews }), tailoring, usage };
  const questions = selectQuestions({
    ...common,
    mix: req.mix ?? (req.questionIds ? undefined : MIX_BY_LEVEL[o.level]),
    questionIds: req.questionIds,
  });
  return { plan: null, questions, tailoring, usage };
}
