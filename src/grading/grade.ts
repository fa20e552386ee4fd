import { z } from '@hono/zod-openapi';
import { Bar } from './levels.js';

/** The one Grade schema (DESIGN.md §4), used by every grader, the API and the OpenAPI document. */

export const FLAGS = [
  'prompt_injection',
  'off_topic',
  'off_theme',
  'too_short',
  'dont_know',
  'keyword_list',
  'question_echo',
  'contradicts_reference',
  'grader_disagreement',
] as const;
export const Flag = z.enum(FLAGS);
export type Flag = z.infer<typeof Flag>;

export const VERDICTS = ['strong_hire', 'hire', 'lean_no_hire', 'no_hire', 'insufficient_evidence'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export const CriterionGrade = z.object({
  id: z.string(),
  score: z.number().int().min(1).max(5).nullable().openapi({ description: '1–5, or null when the answer gives no evidence' }),
  evidence: z.array(z.string()).openapi({ description: "Quotes from the candidate's answer" }),
  feedback: z.string(),
});

export const Grade = z
  .object({
    questionId: z.string(),
    rubricId: z.string(),
    grader: z.object({ kind: z.enum(['llm', 'offline']), model: z.string().optional() }),
    score: z.number().min(0).max(100),
    overall: z.number().int().min(1).max(5),
    verdict: Verdict,
    criteria: z.array(CriterionGrade),
    leadershipPrinciples: z.array(z.object({ name: z.string(), evidence: z.string() })),
    coveredPoints: z.array(z.string()),
    missedPoints: z.array(z.string()),
    strengths: z.array(z.string()),
    improvements: z.array(z.string()),
    flags: z.array(Flag),
    rubricOnly: z.string().optional().openapi({
      description:
        "Set when the question has no reference answer (one made from the candidate's résumé): the card says it was graded on the rubric only, and why",
    }),
    bar: Bar.optional().openapi({
      description: 'Where the answer stands against the bar of the level it was graded for (absent on grades from before levels)',
    }),
  })
  .openapi('Grade');
export type Grade = z.infer<typeof Grade>;
export type CriterionGrade = z.infer<typeof CriterionGrade>;

/** Score caps for flagged answers: a flagged answer cannot earn a high grade, whatever else it says. */
export const FLAG_CAPS: Partial<Record<Flag, number>> = {
  dont_know: 0,
  off_topic: 15,
  off_theme: 30,
  question_echo: 20,
  prompt_injection: 40,
  too_short: 50,
  keyword_list: 35,
  contradicts_reference: 15,
};

/**
 * Caps on every criterion of a flagged answer, in both graders: whatever a model or a pattern
 * made of the rest, an answer that does not answer cannot show a strength.
 */
export const CRITERION_CAPS: Partial<Record<Flag, number>> = {
  dont_know: 1,
  off_topic: 1,
  question_echo: 1,
  keyword_list: 1,
  prompt_injection: 2,
  off_theme: 2,
};

/** A criterion without a sentence of the answer to show for it scores at most this. */
export const UNEVIDENCED_CAP = 2;

export function criterionCap(flags: readonly Flag[]): { cap: number; because: Flag | null } {
  let cap = 5;
  let because: Flag | null = null;
  for (const f of flags) {
    const c = CRITERION_CAPS[f];
    if (c !== undefined && c < cap) {
      cap = c;
      because = f;
    }
  }
  return { cap, because };
}

/** Flags that say the text is not an answer to the question: such a text keeps no points for its topic. */
export const NOT_AN_ANSWER: readonly Flag[] = ['off_topic', 'dont_know', 'question_echo', 'keyword_list', 'prompt_injection', 'off_theme'];

/** Each flag in a few words, for lists ("flagged: too short"). */
export const FLAG_LABEL: Record<Flag, string> = {
  prompt_injection: 'text addressed to the grader',
  off_topic: 'off topic',
  off_theme: 'a story for another question',
  too_short: 'too short',
  dont_know: 'no answer',
  keyword_list: 'a list of keywords',
  question_echo: 'repeats the question',
  contradicts_reference: 'contradicts the reference',
  grader_disagreement: 'the graders disagree',
};

/** What each flag means for the candidate, in plain words. */
export const FLAG_ADVICE: Record<Flag, string> = {
  prompt_injection: 'Text addressed to the grader was removed and ignored; every criterion is capped at 2 of 5.',
  off_topic: 'The answer does not address the question that was asked.',
  off_theme: 'The story does not answer this question: tell a story about what the question asks.',
  too_short: 'Too short to show what you know: answer in several full sentences.',
  dont_know: 'No answer given. Say what you do know and reason towards the rest.',
  keyword_list: 'A list of keywords is not an answer: explain how the pieces work together.',
  question_echo: 'The answer repeats the question instead of answering it.',
  contradicts_reference: 'Part of the answer contradicts the reference answer: check the facts.',
  grader_disagreement:
    'The model grader and the offline grader disagree by a wide margin on this answer: read the feedback with care, and compare with the reference answer.',
};

/** Weighted criterion scores → 0..100; a criterion with no evidence counts as the lowest level. */
export function aggregate(
  criteria: Array<{ id: string; score: number | null }>,
  weights: Map<string, number>,
  flags: Flag[],
  /** 0..1: how much of the expected length the answer has; shorter answers lose part of the score. */
  completeness = 1,
  /** Points an answer on the question's topic keeps however vague it is (a few at most). */
  floor = 0,
) {
  let total = 0;
  let weightSum = 0;
  for (const c of criteria) {
    const w = weights.get(c.id) ?? 0;
    total += w * (((c.score ?? 1) - 1) / 4);
    weightSum += w;
  }
  let score = weightSum > 0 ? (100 * total) / weightSum : 0;
  score *= 0.5 + 0.5 * Math.max(0, Math.min(1, completeness));
  // Near the floor, half of what was earned still counts on top of it: two answers at the floor rank by what they earned.
  score = Math.max(score, floor + score / 2);
  for (const f of flags) score = Math.min(score, FLAG_CAPS[f] ?? 100);
  score = Math.round(score * 10) / 10;
  const overall = Math.min(5, Math.max(1, Math.round(1 + (score / 100) * 4)));
  const noEvidence = criteria.every((c) => c.score === null);
  const verdict: Verdict =
    noEvidence || flags.includes('dont_know') || flags.includes('off_topic') || flags.includes('too_short')
      ? 'insufficient_evidence'
      : verdictFor(score);
  return { score, overall, verdict };
}

/** The hiring verdict a 0–100 score stands for: one scale for a grade and for a whole loop. */
export function verdictFor(score: number): Exclude<Verdict, 'insufficient_evidence'> {
  if (score >= 80) return 'strong_hire';
  if (score >= 62) return 'hire';
  if (score >= 42) return 'lean_no_hire';
  return 'no_hire';
}
