import { z } from '@hono/zod-openapi';
import type { BankEntry } from '../bank/schema.js';
import type { Grade } from '../grading/grade.js';
import type { Rubric } from '../grading/rubrics.js';

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
      verdict: z.enum(['strong_hire', 'hire', 'lean_no_hire', 'no_hire', 'insufficient_evidence']),
      summary: z.string(),
      evidence: z.array(z.string()),
    }),
    practiseNext: z.array(z.object({ topic: z.string(), why: z.string() })),
    grader: z.string(),
  })
  .openapi('Debrief');
export type Debrief = z.infer<typeof Debrief>;

export interface DebriefInput {
  questions: Array<{ question: BankEntry; state: string; grade?: Grade }>;
  rubrics: Map<string, Rubric>;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The end-of-loop debrief, computed from the stored grades: the same for every provider. */
export function buildDebrief({ questions, rubrics }: DebriefInput): Debrief {
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

  const ranked = byCriterion.filter((c) => c.average !== null).sort((a, b) => b.average! - a.average!);
  const label = (c: (typeof ranked)[number]) => `${c.name} (${rubrics.get(c.rubricId)?.name ?? c.rubricId}): ${c.average}/5`;
  const strongest = ranked
    .filter((c) => c.average! >= 3)
    .slice(0, 3)
    .map(label);
  const weakest = ranked
    .filter((c) => c.average! < 3.5)
    .slice(-3)
    .reverse()
    .map(label);

  const overallScore = graded.length ? round1(mean(graded.map((q) => q.grade.score))!) : null;
  const enough = graded.length >= Math.max(1, Math.ceil(asked.length / 2));
  const verdict =
    overallScore === null || !enough
      ? 'insufficient_evidence'
      : overallScore >= 80
        ? 'strong_hire'
        : overallScore >= 62
          ? 'hire'
          : overallScore >= 42
            ? 'lean_no_hire'
            : 'no_hire';
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
  for (const w of ranked.filter((c) => c.average! < 3).slice(-2)) {
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
  };
}
