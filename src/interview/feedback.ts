import { z } from '@hono/zod-openapi';
import type { BankEntry } from '../bank/schema.js';
import { settleBar } from '../grading/bar.js';
import { FLAG_LABEL, type Grade, verdictFor } from '../grading/grade.js';
import { BAR_VERDICTS, type BarVerdict, Level, LEVEL_NAMES, rankOf } from '../grading/levels.js';
import type { Rubric } from '../grading/rubrics.js';
import { sameStory } from '../grading/story-reuse.js';
import type { Interview, LoopPlan } from './plan.js';

/**
 * What each interviewer of a loop writes after their interview, the way Amazon interviewers do:
 * a vote, the rating of each principle they own with the evidence quoted, and their concerns.
 * All of it from the grades, by our code (the same with or without a model).
 */

export const VOTES = ['strongly_inclined', 'inclined', 'not_inclined', 'strongly_not_inclined'] as const;
export type Vote = (typeof VOTES)[number];
export const VOTE_LABEL: Record<Vote, string> = {
  strongly_inclined: 'Strongly Inclined',
  inclined: 'Inclined',
  not_inclined: 'Not Inclined',
  strongly_not_inclined: 'Strongly Not Inclined',
};
/** Inclined or better. */
export const inclined = (v: Vote) => v === 'inclined' || v === 'strongly_inclined';

export const StoryReuse = z
  .object({
    earlier: z.object({ position: z.number().int(), questionId: z.string(), interviewer: z.string().nullable() }),
    later: z.object({ position: z.number().int(), questionId: z.string(), interviewer: z.string().nullable() }),
    shared: z.array(z.string()).openapi({ description: 'The specifics both answers tell: figures, names, phrases' }),
  })
  .openapi('StoryReuse');
export type StoryReuse = z.infer<typeof StoryReuse>;

export const InterviewFeedback = z
  .object({
    interview: z.number().int().openapi({ description: 'Its index in plan.interviews' }),
    interviewer: z.object({ name: z.string(), role: z.string(), barRaiser: z.boolean() }),
    level: Level,
    vote: z.enum(VOTES),
    principles: z.array(
      z.object({
        name: z.string(),
        rating: z.number().int().min(1).max(5).nullable().openapi({ description: '1–5, null when its question was not answered' }),
        evidence: z.array(z.string()).openapi({ description: "The candidate's words that show it" }),
      }),
    ),
    answers: z.array(
      z.object({
        position: z.number().int(),
        questionId: z.string(),
        prompt: z.string(),
        score: z.number().nullable(),
        bar: z.enum(BAR_VERDICTS).nullable(),
      }),
    ),
    strengths: z.array(z.string()),
    concerns: z.array(z.string()),
    summary: z.string(),
  })
  .openapi('InterviewFeedback');
export type InterviewFeedback = z.infer<typeof InterviewFeedback>;

export interface LoopQuestion {
  position: number;
  question: BankEntry;
  state: string;
  grade?: Grade;
  /** What the candidate said (their answers, follow-ups included). */
  answer: string;
}

/** Where a graded answer stands against the bar of `level`: re-settled from its readings, so any level can be asked. */
export function barAt(grade: Grade, rubric: Rubric | undefined, level: Level): BarVerdict | null {
  if (!grade.bar || !rubric) return null;
  return settleBar(rubric, level, grade.bar.dimensions, grade.score, grade.flags)?.verdict ?? null;
}

/**
 * The stories told twice in a loop: each behavioural answer against every earlier one, the
 * candidate's other answers discounting what the whole loop shares (the job's vocabulary).
 */
export function retoldStories(questions: LoopQuestion[], interviewerAt: (position: number) => string | null): StoryReuse[] {
  const stories = questions.filter((q) => q.question.rubric === 'star' && q.answer.trim());
  const found: StoryReuse[] = [];
  for (const [j, later] of stories.entries()) {
    for (const earlier of stories.slice(0, j)) {
      const others = stories.filter((s) => s !== later && s !== earlier).map((s) => s.answer);
      const match = sameStory(earlier.answer, later.answer, others);
      if (!match.same) continue;
      const side = (q: LoopQuestion) => ({ position: q.position, questionId: q.question.id, interviewer: interviewerAt(q.position) });
      found.push({ earlier: side(earlier), later: side(later), shared: match.shared.slice(0, 6) });
    }
  }
  return found;
}

const outcome = (g: Grade) => (g.verdict === 'insufficient_evidence' ? verdictFor(g.score) : g.verdict);
const short = (s: string) => (s.length > 70 ? `${s.slice(0, 67)}…` : s);

/**
 * The vote, by one rule (README, "How the debrief decides"): Strongly Not Inclined on any answer at
 * No Hire; Not Inclined on an answer at Lean No Hire, a question skipped, or a bar missed by half of
 * the answers or more; Strongly Inclined when every answer is Strong Hire and at or above the bar;
 * Inclined otherwise.
 */
export function writeFeedback(
  index: number,
  interview: Interview,
  questions: LoopQuestion[],
  rubrics: Map<string, Rubric>,
  level: Level,
  retold: StoryReuse[] = [],
): InterviewFeedback {
  const mine = questions.filter((q) => interview.positions.includes(q.position));
  const graded = mine.filter((q): q is LoopQuestion & { grade: Grade } => q.grade !== undefined);
  const unanswered = mine.filter((q) => !q.grade && q.state !== 'pending');
  const bars = graded.map((q) => ({ q, bar: barAt(q.grade, rubrics.get(q.grade.rubricId), level) }));
  const below = bars.filter((b) => b.bar === 'below');
  const failed = graded.filter((q) => outcome(q.grade) === 'no_hire');
  const weak = graded.filter((q) => outcome(q.grade) === 'lean_no_hire');
  const vote: Vote =
    failed.length || !graded.length
      ? 'strongly_not_inclined'
      : weak.length || unanswered.length || below.length * 2 >= graded.length
        ? 'not_inclined'
        : graded.every((q) => outcome(q.grade) === 'strong_hire') && !below.length
          ? 'strongly_inclined'
          : 'inclined';

  const principles = interview.principles.map((name) => {
    const q = graded.find((x) => (x.question.leadershipPrinciples as string[]).includes(name));
    const quoted = q?.grade.leadershipPrinciples.filter((p) => p.name === name).map((p) => p.evidence) ?? [];
    const fallback = q?.grade.criteria.flatMap((c) => c.evidence).slice(0, 1) ?? [];
    return { name, rating: q ? q.grade.overall : null, evidence: (quoted.length ? quoted : fallback).slice(0, 2) };
  });

  const name = LEVEL_NAMES[level];
  const concerns = [
    ...failed.map((q) => `${short(q.question.prompt)}: ${q.grade.score}/100, No Hire.`),
    ...weak.map((q) => `${short(q.question.prompt)}: ${q.grade.score}/100, Lean No Hire.`),
    ...unanswered.map((q) => `${short(q.question.prompt)}: not answered.`),
    ...below.map(
      ({ q }) =>
        `Below the ${name} bar on ${short(q.question.prompt)}: ${
          q.grade
            .bar!.dimensions.filter((d) => rankOf(d.shows) < rankOf(level))
            .map((d) => d.name.toLowerCase())
            .join(', ') || 'the answer as a whole'
        }.`,
    ),
    ...graded.flatMap((q) =>
      q.grade.flags
        .filter((f) => f !== 'too_short' && f !== 'grader_disagreement')
        .map((f) => `${short(q.question.prompt)}: ${FLAG_LABEL[f]}.`),
    ),
    ...retold
      .filter((r) => interview.positions.includes(r.later.position) || interview.positions.includes(r.earlier.position))
      .map(
        (r) =>
          `The same story was told to ${r.earlier.interviewer ?? 'another interviewer'} and ${r.later.interviewer ?? 'another interviewer'} (${r.shared.slice(0, 3).join(', ')}).`,
      ),
  ];
  const strengths = graded
    .filter((q) => outcome(q.grade) === 'strong_hire' || outcome(q.grade) === 'hire')
    .map((q) => `${short(q.question.prompt)}: ${q.grade.score}/100${q.grade.strengths[0] ? `; ${q.grade.strengths[0]}` : ''}`);
  const who = interview.interviewer;
  const rated = principles.filter((p) => p.rating !== null).map((p) => `${p.name} ${p.rating}/5`);
  const summary = `${VOTE_LABEL[vote]} for ${name}. ${graded.length} of ${mine.length} question${mine.length === 1 ? '' : 's'} answered${rated.length ? `; ${rated.join(', ')}` : ''}${below.length ? `; below the ${name} bar on ${below.length}` : ''}.`;
  return {
    interview: index,
    interviewer: { name: who.name, role: who.role, barRaiser: who.barRaiser },
    level,
    vote,
    principles,
    answers: mine.map((q) => ({
      position: q.position,
      questionId: q.question.id,
      prompt: q.question.prompt,
      score: q.grade?.score ?? null,
      bar: q.grade ? (bars.find((b) => b.q === q)?.bar ?? null) : null,
    })),
    strengths,
    concerns,
    summary,
  };
}

/** What the candidate said to each question (their answers, follow-ups included), by session question id. */
export function answersBy(
  messages: ReadonlyArray<{ role: string; kind: string; content: string; sessionQuestionId: number | null }>,
): Map<number, string> {
  const by = new Map<number, string>();
  for (const m of messages) {
    if (m.role !== 'candidate' || m.kind !== 'answer' || m.sessionQuestionId === null) continue;
    const before = by.get(m.sessionQuestionId);
    by.set(m.sessionQuestionId, before ? `${before}\n\n${m.content}` : m.content);
  }
  return by;
}

/** The feedback of each interview of a loop that is over: every question of it graded or skipped. */
export function feedbackSoFar(
  plan: LoopPlan | null,
  questions: LoopQuestion[],
  rubrics: Map<string, Rubric>,
  retold: StoryReuse[],
): InterviewFeedback[] {
  if (!plan) return [];
  return plan.interviews.flatMap((interview, i) => {
    const mine = questions.filter((q) => interview.positions.includes(q.position));
    const over = mine.length > 0 && mine.every((q) => q.state === 'graded' || q.state === 'skipped');
    return over ? [writeFeedback(i, interview, questions, rubrics, plan.level, retold)] : [];
  });
}
