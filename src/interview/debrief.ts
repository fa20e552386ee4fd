import { z } from '@hono/zod-openapi';
import type { BankEntry } from '../bank/schema.js';
import { type Grade, Verdict, verdictFor } from '../grading/grade.js';
import type { Rubric } from '../grading/rubrics.js';
import { type Delivery, DeliverySummary, summariseDelivery } from '../voice/delivery.js';

export const Debrief = z
  .object({
    questionsAsked: z.number().int(),
    questionsAnswered: z.number().int(),
    questionsSkipped: z.number().int(),
    overallScore: z.number().nullable().openapi({ description: 'Mean score of the graded questions, 0–100' }),
    byRubric: z.array(
      z.object({ rubricId: z.string(), name: z.string(), questions: z.number().int(), score: z.number(), overall: z.number() }),
    ),
    byCriterion: z.array(
      z.object({
        rubricId: z.string(),
        criterionId: z.string(),
        name: z.string(),
        average: z.number().nullable(),
        graded: z.number().int(),
      }),
    ),
    byLeadershipPrinciple: z.array(
      z.object({ name: z.string(), questions: z.number().int(), score: z.number().nullable(), evidence: z.array(z.string()) }),
    ),
    strongest: z.array(z.string()),
    weakest: z.array(z.string()),
    recommendation: z.object({
      verdict: Verdict,
      summary: z.string(),
      evidence: z.array(z.string()),
    }),
    practiseNext: z.array(z.object({ topic: z.string(), why: z.string() })),
    grader: z.string(),
    delivery: DeliverySummary.nullable()
      .optional()
      .openapi({ description: 'How the spoken answers were delivered (pace, fillers, time); null when none was spoken' }),
  })
  .openapi('Debrief');
export type Debrief = z.infer<typeof Debrief>;

export interface DebriefInput {
  questions: Array<{ question: BankEntry; state: string; grade?: Grade }>;
  rubrics: Map<string, Rubric>;
  /** The delivery figures of the spoken answers, if any. */
  deliveries?: Delivery[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The end-of-loop debrief, computed from the stored grades: the same for every provider. */
export function buildDebrief({ questions, rubrics, deliveries = [] }: DebriefInput): Debrief {
  const graded = questions.filter((q): q is typeof q & { grade: Grade } => q.grade !== undefined);
  const asked = questions.filter((q) => q.state !== 'pending');
  const skipped = questions.filter((q) => q.state === 'skipped');

  const byRubric = [...new Set(graded.map((q) => q.grade.rubricId))].map((rubricId) => {
    const gs = graded.filter((q) => q.grade.rubricId === rubricId).map((q) => q.grade);
    return {
      rubricId,
      name: rubrics.get(rubricId)?.name ?? rubricId,
      questions: gs.length,
      score: round1(mean(gs.map((g) => g.score))!),
      overall: round1(mean(gs.map((g) => g.overall))!),
    };
  });

  const byCriterion = byRubric.flatMap(({ rubricId }) =>
    (rubrics.get(rubricId)?.criteria ?? []).map((c) => {
      const scores = graded
        .filter((q) => q.grade.rubricId === rubricId)
        .map((q) => q.grade.criteria.find((x) => x.id === c.id)?.score ?? 1);
      const avg = mean(scores);
      return { rubricId, criterionId: c.id, name: c.name, average: avg === null ? null : round1(avg), graded: scores.length };
    }),
  );

  const lp = new Map<string, { scores: number[]; evidence: string[] }>();
  for (const q of graded) {
    const names = new Set([...q.question.leadershipPrinciples, ...q.grade.leadershipPrinciples.map((p) => p.name)]);
    for (const name of names) {
      const entry = lp.get(name) ?? { scores: [], evidence: [] };
      if ((q.question.leadershipPrinciples as string[]).includes(name)) entry.scores.push(q.grade.score);
      const quote = q.grade.leadershipPrinciples.find((p) => p.name === name)?.evidence;
      if (quote) entry.evidence.push(quote);
      lp.set(name, entry);
    }
  }
  const byLeadershipPrinciple = [...lp.entries()]
    .map(([name, v]) => ({
      name,
      questions: v.scores.length,
      score: v.scores.length ? round1(mean(v.scores)!) : null,
      evidence: v.evidence.slice(0, 3),
    }))
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1));

  const ranked = byCriterion.filter((c): c is typeof c & { average: number } => c.average !== null).sort((a, b) => b.average - a.average);
  const { strongest, weakest } = strongestAndWeakest(ranked, (c) => `${c.name} (${rubrics.get(c.rubricId)?.name ?? c.rubricId})`);

  const overallScore = graded.length ? round1(mean(graded.map((q) => q.grade.score))!) : null;
  const enough = graded.length >= Math.max(1, Math.ceil(asked.length / 2));
  const verdict = overallScore === null || !enough ? 'insufficient_evidence' : verdictFor(overallScore);
  const evidence = graded.map(
    (q) =>
      `${q.question.prompt.slice(0, 80)}${q.question.prompt.length > 80 ? '…' : ''} — ${q.grade.score}/100 (${q.grade.verdict.replace(/_/g, ' ')})${q.grade.flags.length ? `, flagged ${q.grade.flags.join(', ')}` : ''}`,
  );
  const summary =
    verdict === 'insufficient_evidence'
      ? `Not enough answered questions to recommend: ${graded.length} of ${questions.length} graded.`
      : `Mean score ${overallScore}/100 over ${graded.length} graded question(s)${skipped.length ? `, ${skipped.length} skipped` : ''}.${weakest[0] ? ` Weakest: ${weakest[0]}.` : ''}`;

  const topicScores = new Map<string, number[]>();
  for (const q of graded) for (const t of q.question.topics) topicScores.set(t, [...(topicScores.get(t) ?? []), q.grade.score]);
  const practiseNext = [...topicScores.entries()]
    .map(([topic, s]) => ({ topic, avg: mean(s)! }))
    .filter((t) => t.avg < 70)
    .sort((a, b) => a.avg - b.avg)
    .slice(0, 5)
    .map((t) => ({ topic: t.topic, why: `average ${round1(t.avg)}/100 on questions about ${t.topic}` }));
  for (const t of new Set(skipped.flatMap((q) => q.question.topics))) {
    if (!practiseNext.some((p) => p.topic === t)) practiseNext.push({ topic: t, why: `you skipped a question on ${t}` });
  }
  for (const w of ranked.filter((c) => c.average < WEAK_BELOW).slice(-2)) {
    practiseNext.push({ topic: w.name, why: `rubric criterion averaging ${w.average}/5` });
  }

  const kinds = new Set(graded.map((q) => (q.grade.grader.kind === 'llm' ? `llm grader (${q.grade.grader.model})` : 'offline grader')));
  return {
    questionsAsked: asked.length,
    questionsAnswered: graded.length,
    questionsSkipped: skipped.length,
    overallScore,
    byRubric,
    byCriterion,
    byLeadershipPrinciple,
    strongest,
    weakest,
    recommendation: { verdict, summary, evidence },
    practiseNext,
    grader: [...kinds].join(', ') || 'none',
    delivery: summariseDelivery(deliveries),
  };
}

/** A criterion averaging this or more is a strength; below WEAK_BELOW it is a weakness; between, neither. */
export const STRONG_FROM = 3.5;
export const WEAK_BELOW = 3;
const LISTED = 3;

/**
 * The strongest and weakest criteria, at most three each, never the same criterion in both (the
 * two bands do not overlap). When the cut falls inside a tie, the tied criteria left out are named
 * so the list does not pretend one of them stood out.
 */
export function strongestAndWeakest<T extends { average: number }>(
  rankedDesc: T[],
  name: (c: T) => string,
): { strongest: string[]; weakest: string[] } {
  const pick = (band: T[]) => {
    const shown = band.slice(0, LISTED);
    const lines = shown.map((c) => `${name(c)}: ${c.average}/5`);
    const last = shown.at(-1);
    const tied = last ? band.slice(LISTED).filter((c) => c.average === last.average) : [];
    if (tied.length) lines.push(`Tied at ${last!.average}/5 with the above: ${tied.map(name).join(', ')}`);
    return lines;
  };
  return {
    strongest: pick(rankedDesc.filter((c) => c.average >= STRONG_FROM)),
    weakest: pick(rankedDesc.filter((c) => c.average < WEAK_BELOW).reverse()),
  };
}
