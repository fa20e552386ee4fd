import { analyzeContent, unique } from '../analysis.js';
import { aggregate, FLAG_ADVICE, type Flag, type Grade, NOT_AN_ANSWER, settleCriteria } from '../grade.js';
import { injectionSpans, withoutSpans } from '../injection.js';
import { sentences, type Span } from '../text.js';
import type { Grader, GradeInput, GradeResult } from '../types.js';
import { countMatches, type ScoringContext } from './context.js';
import { guards } from './guards.js';
import { THEMES } from './lexicon.js';
import { principleEvidence } from './principles.js';
import { scorerFor } from './scorers/index.js';

/**
 * The offline grader: deterministic, no model. Each rubric criterion has its own scorer
 * (scorers/), which judges what it can check in the text and quotes the sentences that earned
 * the score. What the reference answer is for depends on the rubric's kind: key points for
 * technical and design answers, one good answer among several for company answers, and for a
 * behavioural story only an example of the structure: the story is judged on its structure and
 * on the question's theme, never on its overlap with the example. Guards keep answers that do not
 * answer (keyword lists, the question read back, "I don't know", off-topic, text addressed to
 * the grader, contradictions of the reference) from earning a grade.
 */
export class OfflineGrader implements Grader {
  readonly kind = 'offline' as const;
  async grade(input: GradeInput): Promise<GradeResult> {
    return { grade: gradeOffline(input) };
  }
}

/** Everything the scorers read, built once per answer. */
export function scoringContext(input: GradeInput): { ctx: ScoringContext; completeness: number; injection: Span[]; floor: number } {
  const kind = input.rubric.kind;
  // Text addressed to the grader earns nothing: it is removed before the answer is scored.
  const injection = injectionSpans(input.answer);
  const answer = withoutSpans(input.answer, injection);
  // A behavioural story is never compared with the example story: only with the question's signals.
  const reference = kind === 'star' ? '' : input.referenceAnswer;
  const content = analyzeContent(input.question, reference, answer, input.signals);
  const themes = kind === 'star' ? THEMES.filter((t) => t.asks.test(input.question)) : [];
  const guard = guards({ input, kind, answer, content, themes });
  const flags: Flag[] = [...(injection.length ? (['prompt_injection'] as const) : []), ...guard.flags];
  const ctx: ScoringContext = {
    input,
    kind,
    answer,
    spans: sentences(input.answer).filter((s) => answer.slice(s.start, s.end).trim() !== ''),
    content,
    flags,
    contradiction: guard.contradiction,
    themes,
  };
  return { ctx, completeness: guard.completeness, injection, floor: topicalFloor(ctx) };
}

/**
 * An answer about the question, however vague, ranks above one that is not: it keeps up to 4
 * points, half a point for each distinct word it shares with the question, the reference or the
 * signals (and, for a story, each facet of the question's theme it touches).
 */
function topicalFloor(ctx: ScoringContext): number {
  if (ctx.flags.some((f) => NOT_AN_ANSWER.includes(f))) return 0;
  const words = unique(ctx.content.answerStems.filter((s) => ctx.content.topicStems.has(s))).length;
  const facets = ctx.themes.flatMap((t) => t.facets).filter((f) => countMatches(ctx.answer, f.re) > 0).length;
  return Math.min(4, 0.5 * (words + facets));
}

export function gradeOffline(input: GradeInput): Grade {
  const { ctx, completeness, floor } = scoringContext(input);
  const { flags } = ctx;
  const rubric = input.rubric;
  const drafts = rubric.criteria.map((c) => {
    const scored = scorerFor(rubric, c.id)(ctx);
    return { id: c.id, level: scored.level, evidence: scored.evidence.map((s) => s.text), feedback: scored.feedback };
  });
  const { levels, criteria } = settleCriteria(boundByCorrectness(drafts), flags);

  const weights = new Map(rubric.criteria.map((c) => [c.id, c.weight]));
  const { score, overall, verdict } = aggregate(levels, weights, flags, completeness, floor);

  const content = ctx.content;
  const covered = content.points.filter((p) => p.covered);
  const missed = content.points.filter((p) => !p.covered).sort((a, b) => a.coverage - b.coverage);
  const byId = new Map(rubric.criteria.map((c) => [c.id, c]));
  const strengths = criteria.filter((c) => (c.score ?? 0) >= 4).map((c) => `${byId.get(c.id)!.name}: ${c.feedback}`);
  const improvements = [
    ...flags.map((f) => FLAG_ADVICE[f]),
    ...criteria
      .filter((c) => (c.score ?? 0) <= 2)
      .sort((a, b) => byId.get(b.id)!.weight - byId.get(a.id)!.weight)
      .map((c) => `${byId.get(c.id)!.name}: ${c.feedback} Aim for: ${byId.get(c.id)!.levels[5]}`),
    ...missed.slice(0, 3).map((p) => `Cover this point: ${p.text}`),
  ];

  return {
    questionId: input.questionId,
    rubricId: rubric.id,
    grader: { kind: 'offline' },
    score,
    overall,
    verdict,
    criteria,
    leadershipPrinciples:
      ctx.kind === 'star' || ctx.kind === 'company' ? principleEvidence(ctx).map((x) => ({ name: x.name, evidence: x.span.text })) : [],
    coveredPoints: covered.map((p) => p.text),
    missedPoints: missed.map((p) => p.text),
    strengths: flags.some((f) => f !== 'too_short') ? [] : strengths.slice(0, 4),
    improvements: improvements.slice(0, 6),
    flags,
  };
}

/**
 * A technical answer cannot be deeper, more specific or clearer than it is correct: explaining a
 * wrong mechanism well is not depth. Every other criterion stays within one level of correctness.
 */
function boundByCorrectness<T extends { id: string; level: number | null; feedback: string }>(drafts: T[]): T[] {
  const correctness = drafts.find((d) => d.id === 'correctness');
  if (!correctness) return drafts;
  const bound = (correctness.level ?? 1) + 1;
  return drafts.map((d) =>
    d === correctness || d.level === null || d.level <= bound
      ? d
      : {
          ...d,
          level: bound,
          feedback: `${d.feedback} Held to ${Math.round(bound)}: it cannot count for more than the answer is correct.`,
        },
  );
}
