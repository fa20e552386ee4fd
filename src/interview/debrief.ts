import { z } from '@hono/zod-openapi';
import type { BankEntry } from '../bank/schema.js';
import { FLAG_LABEL, type Grade, Verdict, verdictFor } from '../grading/grade.js';
import type { Rubric } from '../grading/rubrics.js';
import { type Delivery, DeliverySummary, summariseDelivery } from '../voice/delivery.js';
import { type LoopQuestion, retoldStories, StoryReuse } from './feedback.js';
import { holdMeeting, Meeting } from './meeting.js';
import { interviewerAt, type LoopPlan } from './plan.js';

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
      decidedBy: z
        .array(z.object({ questionId: z.string(), prompt: z.string(), score: z.number(), verdict: Verdict, why: z.string() }))
        .optional()
        .openapi({
          description:
            'The answers that decided the recommendation, under the rule in the README; empty when the mean did (absent in debriefs before 0.3)',
        }),
      wouldChange: z
        .string()
        .nullable()
        .optional()
        .openapi({ description: 'What would have changed the recommendation (absent in debriefs before 0.3)' }),
    }),
    practiseNext: z.array(z.object({ topic: z.string(), why: z.string() })),
    grader: z.string(),
    delivery: DeliverySummary.nullable()
      .optional()
      .openapi({ description: 'How the spoken answers were delivered (pace, fillers, time); null when none was spoken' }),
    retold: z.array(StoryReuse).optional().openapi({ description: 'Stories told twice in the session (absent in debriefs before 0.4)' }),
    meeting: Meeting.nullable()
      .optional()
      .openapi({ description: "A loop's debrief meeting: votes, the Bar Raiser, the decision at the level; null outside a loop" }),
  })
  .openapi('Debrief');
export type Debrief = z.infer<typeof Debrief>;

export interface DebriefInput {
  questions: Array<{ question: BankEntry; state: string; grade?: Grade; position?: number; answer?: string }>;
  /** A loop's plan: its debrief is a meeting. */
  plan?: LoopPlan | null;
  rubrics: Map<string, Rubric>;
  /** The delivery figures of the spoken answers, if any. */
  deliveries?: Delivery[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The end-of-loop debrief, computed from the stored grades: the same for every provider. */
export function buildDebrief({ questions, rubrics, deliveries = [], plan = null }: DebriefInput): Debrief {
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
  const evidence = graded.map(
    (q) =>
      `${short(q.question.prompt)} — ${q.grade.score}/100 (${label(q.grade.verdict)})${q.grade.flags.length ? `, flagged: ${q.grade.flags.map((f) => FLAG_LABEL[f]).join(', ')}` : ''}`,
  );
  const notes = loopNotes(questions, rubrics, plan);
  const decision = notes.meeting ? fromMeeting(notes.meeting, graded) : decide(graded, asked.length, byLeadershipPrinciple, overallScore);
  const recommendation = { ...decision, evidence };

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
    recommendation,
    practiseNext,
    grader: [...kinds].join(', ') || 'none',
    delivery: summariseDelivery(deliveries),
    ...notes,
  };
}

/**
 * A loop's recommendation is its meeting's decision, in the verdicts of a practice session: a
 * hire with every vote Strongly Inclined is Strong Hire; a hire one level down is not a hire at
 * the level asked (Lean No Hire).
 */
function fromMeeting(m: Meeting, graded: Graded[]): Required<Omit<Debrief['recommendation'], 'evidence'>> {
  const d = m.decision;
  const verdict: Verdict =
    d.outcome === 'hire'
      ? m.feedback.every((f) => f.vote === 'strongly_inclined')
        ? 'strong_hire'
        : 'hire'
      : d.outcome === 'hire_one_level_down'
        ? 'lean_no_hire'
        : d.outcome;
  const decidedBy = d.decidedBy.flatMap((x) => {
    const q = graded.find((g) => g.question.id === x.questionId);
    return q ? [{ questionId: x.questionId, prompt: x.prompt, score: q.grade.score, verdict: q.grade.verdict, why: x.why }] : [];
  });
  return { verdict, summary: d.summary, decidedBy, wouldChange: d.wouldChange };
}

/** The stories told twice, and for a loop its meeting. */
function loopNotes(questions: DebriefInput['questions'], rubrics: Map<string, Rubric>, plan: LoopPlan | null) {
  const loop: LoopQuestion[] = questions.map((q, i) => ({ ...q, position: q.position ?? i, answer: q.answer ?? '' }));
  const retold = retoldStories(loop, (position) => interviewerAt(plan, position));
  return { retold, meeting: plan ? holdMeeting(plan, loop, rubrics, retold) : null };
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

const short = (prompt: string) => (prompt.length > 80 ? `${prompt.slice(0, 79)}…` : prompt);
const label = (v: Verdict) => v.replace(/_/g, ' ');
const quoted = (prompt: string) => `“${short(prompt)}”`;
const RANK: Record<Exclude<Verdict, 'insufficient_evidence'>, number> = { no_hire: 0, lean_no_hire: 1, hire: 2, strong_hire: 3 };
const LABEL: Record<Verdict, string> = {
  strong_hire: 'Strong Hire',
  hire: 'Hire',
  lean_no_hire: 'Lean No Hire',
  no_hire: 'No Hire',
  insufficient_evidence: 'Insufficient evidence',
};
/** A Leadership Principle whose answers average below this is below the bar (the No Hire line). */
const PRINCIPLE_BAR = 42;

type Graded = { question: BankEntry; grade: Grade };
const targets = (q: Graded, principle: string) => (q.question.leadershipPrinciples as readonly string[]).includes(principle);

/**
 * How a loop decides, from the per-question outcomes, not the mean (README, "How the debrief
 * decides"): an answered question that gave no evidence counts at its score's verdict; the mean
 * sets the verdict only as far as no answer blocks it. A behavioural answer at No Hire, or a
 * Leadership Principle whose answers average under the No Hire line, blocks Hire: at most Lean
 * No Hire, and No Hire with two blocks or more. Strong Hire needs every answer at Hire or above.
 */
export function decide(
  graded: Graded[],
  asked: number,
  principles: Array<{ name: string; questions: number; score: number | null }>,
  overall: number | null,
): Required<Omit<Debrief['recommendation'], 'evidence'>> {
  if (overall === null || graded.length < Math.max(1, Math.ceil(asked / 2))) {
    return {
      verdict: 'insufficient_evidence',
      summary: `Not enough answered questions to recommend: ${graded.length} of ${asked} graded.`,
      decidedBy: [],
      wouldChange:
        asked > graded.length
          ? `Answer at least ${Math.max(1, Math.ceil(asked / 2))} of the ${asked} question${asked === 1 ? '' : 's'} asked.`
          : null,
    };
  }
  const outcome = (g: Grade) => (g.verdict === 'insufficient_evidence' ? verdictFor(g.score) : g.verdict);
  const entry = (q: Graded, why: string) => ({
    questionId: q.question.id,
    prompt: q.question.prompt,
    score: q.grade.score,
    verdict: outcome(q.grade),
    why,
  });
  const byMean = verdictFor(overall);

  const failedStories = graded.filter((q) => q.grade.rubricId === 'star' && outcome(q.grade) === 'no_hire');
  const lowPrinciples = principles.filter((p) => p.questions > 0 && p.score !== null && p.score < PRINCIPLE_BAR);
  const blocking = [
    ...failedStories.map((q) =>
      entry(
        q,
        `a behavioural answer at No Hire${q.question.leadershipPrinciples.length ? ` on ${q.question.leadershipPrinciples.join(', ')}` : ''}`,
      ),
    ),
    ...lowPrinciples
      .filter((p) => !failedStories.some((q) => targets(q, p.name)))
      .flatMap((p) => {
        const worst = graded.filter((q) => targets(q, p.name)).sort((a, b) => a.grade.score - b.grade.score)[0];
        return worst
          ? [entry(worst, `${p.name} rated below the bar (${p.score}/100 over ${p.questions} answer${p.questions > 1 ? 's' : ''})`)]
          : [];
      }),
  ];
  // One answer that blocks on two principles is one block, with both reasons.
  const blocks: typeof blocking = [];
  for (const b of blocking) {
    const same = blocks.find((x) => x.questionId === b.questionId);
    if (same) same.why += `; ${b.why}`;
    else blocks.push({ ...b });
  }
  const meanLine = `The mean of ${graded.length} answer${graded.length > 1 ? 's' : ''} is ${overall}/100 (${LABEL[byMean]})`;

  if (blocks.length) {
    const verdict: Verdict = blocks.length >= 2 || byMean === 'no_hire' ? 'no_hire' : 'lean_no_hire';
    const first = graded.find((q) => q.question.id === blocks[0]!.questionId)!;
    const advice = first.grade.improvements.find((i) => !/^(Text addressed|The answer does not|No answer)/.test(i));
    return {
      verdict,
      summary: `${blocks.map((b) => `${quoted(b.prompt)} was ${LABEL[b.verdict]} (${b.score}/100), ${b.why}`).join('; ')}. In a loop a Not Inclined vote on a Leadership Principle is not averaged away: ${meanLine}.`,
      decidedBy: blocks,
      wouldChange: `An answer to ${quoted(blocks[0]!.prompt)} at Lean No Hire or better${blocks.length > 1 ? `, and to the other ${blocks.length - 1} that blocked` : ''}${advice ? `. ${advice}` : '.'}`,
    };
  }
  const belowHire = graded.filter((q) => RANK[outcome(q.grade)] < RANK.hire);
  if (byMean === 'strong_hire' && belowHire.length) {
    return {
      verdict: 'hire',
      summary: `${meanLine}, but Strong Hire needs every answer at Hire or above, and ${belowHire.map((q) => `${quoted(q.question.prompt)} was ${LABEL[outcome(q.grade)]} (${q.grade.score}/100)`).join('; ')}.`,
      decidedBy: belowHire.map((q) => entry(q, 'an answer below Hire')),
      wouldChange: `Bring ${belowHire.map((q) => quoted(q.question.prompt)).join(' and ')} up to Hire (62/100 or more).`,
    };
  }
  return {
    verdict: byMean,
    summary: `${meanLine}, and no answer blocks it.`,
    decidedBy: [],
    wouldChange:
      byMean === 'strong_hire'
        ? null
        : byMean === 'hire'
          ? `A mean of 80/100 with every answer at Hire or above would be Strong Hire.`
          : `A mean of 62/100 or more would be Hire${belowHire.length ? `; the weakest answer was ${quoted([...belowHire].sort((a, b) => a.grade.score - b.grade.score)[0]!.question.prompt)}` : ''}.`,
  };
}
