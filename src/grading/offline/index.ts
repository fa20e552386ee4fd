import { withCodeEvidence } from '../code-evidence.js';
import { analyzeContent, unique } from '../analysis.js';
import { barAdvice, settleBar } from '../bar.js';
import { DEFAULT_LEVEL } from '../levels.js';
import { type CriterionDraft, settleCriteria, strengthsAndImprovements } from '../card.js';
import { aggregate, type Flag, type Grade } from '../grade.js';
import { injectionSpans, withoutSpans } from '../injection.js';
import { sentences, type Span } from '../text.js';
import type { Grader, GradeInput, GradeResult } from '../types.js';
import { countMatches, type ScoringContext } from './context.js';
import { guards } from './guards.js';
import { readLevels } from './level-signals.js';
import { principleEvidence } from './principles.js';
import { scorerFor } from './scorers/index.js';
import { type Theme, themesOf } from './themes.js';

/**
 * The offline grader: deterministic, no model. Each rubric criterion has its own scorer
 * (scorers/), which judges what it can check in the text and quotes the sentences that earned
 * the score. What the reference answer is for depends on the rubric's kind: key points for
 * technical and design answers, one good answer among several for company answers, and for a
 * behavioural story only an example of the structure: the story is judged on its structure and
 * on the question's theme, never on its overlap with the example. Guards keep answers that do not
 * answer (keyword lists, the question read back, "I don't know", off-topic, a story told to
 * another question, text addressed to the grader, contradictions of the reference) from earning
 * a grade.
 */
export class OfflineGrader implements Grader {
  readonly kind = 'offline' as const;
  async grade(input: GradeInput): Promise<GradeResult> {
    return { grade: gradeOffline(input) };
  }
}

/** What the offline judgement of an answer decides besides its criteria. */
export interface Judgement {
  ctx: ScoringContext;
  /** Answer length against the minimum the question needs, 0..1. */
  completeness: number;
  /** The sentences addressed to the grader, removed before anything else is judged. */
  injection: Span[];
  /** The fewest points the answer keeps (see `floorOf`). */
  floor: number;
  /** For a story told to another question: the theme it fits. */
  fits?: Theme;
}

/**
 * Everything the scorers read, built once per answer. Text addressed to the grader is removed
 * first, and every guard, measure and cap is worked out on what is left: such text can lower a
 * grade (its flag caps it) and never raise one.
 */
export function judge(input: GradeInput): Judgement {
  const kind = input.rubric.kind;
  const injection = injectionSpans(input.answer);
  const answer = withoutSpans(input.answer, injection);
  // A behavioural story is never compared with the example story: only with the question's signals.
  const reference = kind === 'star' ? '' : input.referenceAnswer;
  const content = analyzeContent(input.question, reference, answer, input.signals);
  const themes = kind === 'star' ? themesOf(input.question, input.leadershipPrinciples) : [];
  const guard = guards({ input, kind, answer, content, themes });
  const flags: Flag[] = [...(injection.length ? (['prompt_injection'] as const) : []), ...guard.flags];
  // Words named in a list, read back from the question or said about something else cover no point.
  if (guard.flags.some((f) => SAYS_NOTHING.includes(f))) content.points = content.points.map((p) => ({ ...p, covered: false }));
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
  return { ctx, completeness: guard.completeness, injection, floor: floorOf(ctx), fits: guard.fits };
}

/** Flags of a text that makes no claim about the question, so covers none of its points. */
const SAYS_NOTHING: readonly Flag[] = ['keyword_list', 'question_echo', 'off_topic', 'dont_know'];

/** Points an off-topic answer, a bag of keywords or the question read back keeps: more than no answer. */
export const ATTEMPT_POINTS = 2;
/** Points an answer on the question's topic keeps however vague it is, and the most it can add. */
export const ON_TOPIC_POINTS = 4;
const ON_TOPIC_MORE = 6;

/**
 * The order below the middle, strictly: an answer on the topic, however vague, keeps 4 to 10
 * points (half a point for each distinct word it shares with the question, the reference or the
 * signals, and for a story each facet of the question's theme it touches); an answer that is not
 * about the question keeps 2; no answer ("I don't know", one character) keeps nothing. Text
 * addressed to the grader is judged on the rest of the answer.
 */
function floorOf(ctx: ScoringContext): number {
  const f = ctx.flags;
  if (f.includes('dont_know')) return 0;
  if (f.some((x) => x === 'off_topic' || x === 'off_theme' || x === 'keyword_list' || x === 'question_echo')) return ATTEMPT_POINTS;
  const words = unique(ctx.content.answerStems.filter((s) => ctx.content.topicStems.has(s))).length;
  const facets = ctx.themes.flatMap((t) => t.facets).filter((x) => countMatches(ctx.answer, x.re) > 0).length;
  return ON_TOPIC_POINTS + Math.min(ON_TOPIC_MORE, 0.5 * (words + facets));
}

/** Below this an answer on topic is vague, and the card says what would make it concrete. */
const VAGUE_BELOW = 30;
const CONCRETE: Record<GradeInput['rubric']['kind'], string> = {
  technical: 'It stays general: say how it works underneath, with a named service, a setting or a number, and an example.',
  system_design:
    'It stays general: state the requirements with numbers, name the components a request passes through, and say how the design scales and fails.',
  star: 'It stays general: tell one real story, with the situation, what you personally did, and the result in numbers.',
  company: 'It stays general: name what Amazon actually does (a mechanism, a product, a customer metric) and what you would do.',
  coding: 'It stays general: state the approach, its time and space complexity, and walk through an example and the edge cases.',
};

/** Advice the criteria do not give: which question an off-theme story fits, how to make a vague answer concrete. */
export function adviceBeyondCriteria({ ctx, fits }: Judgement, score: number): string[] {
  return [
    ...(fits ? [`This story would fit a question such as "${fits.example}"`] : []),
    ...(!fits && ctx.flags.includes('off_theme')
      ? [`Tell a story that shows ${ctx.themes.flatMap((t) => t.facets.filter((f) => !f.setting).map((f) => f.name)).join(', ')}.`]
      : []),
    ...(score < VAGUE_BELOW && !ctx.flags.some((f) => f !== 'too_short') ? [CONCRETE[ctx.kind]] : []),
  ];
}

export function gradeOffline(input: GradeInput, judgement: Judgement = judge(input)): Grade {
  const { ctx, completeness, floor } = judgement;
  const { flags } = ctx;
  const rubric = input.rubric;
  const drafts: CriterionDraft[] = rubric.criteria.map((c) => {
    const scored = scorerFor(rubric, c.id)(ctx);
    return {
      id: c.id,
      level: scored.level,
      evidence: scored.evidence.map((s) => s.text),
      shows: scored.shows,
      lacks: scored.lacks,
      held: scored.held,
    };
  });
  const { levels, criteria } = settleCriteria(boundByCorrectness(withCodeEvidence(drafts, input.code)), flags, rubric);

  const weights = new Map(rubric.criteria.map((c) => [c.id, c.weight]));
  const { score, overall, verdict } = aggregate(levels, weights, flags, completeness, floor);

  const content = ctx.content;
  const covered = content.points.filter((p) => p.covered);
  const missed = content.points.filter((p) => !p.covered).sort((a, b) => a.coverage - b.coverage);
  const bar = settleBar(rubric, input.level ?? DEFAULT_LEVEL, readLevels(ctx, rubric), score, flags);
  const { strengths, improvements } = strengthsAndImprovements(
    rubric,
    criteria,
    flags,
    missed.map((p) => p.text),
    adviceBeyondCriteria(judgement, score),
    barAdvice(rubric, bar),
  );

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
    strengths,
    improvements,
    flags,
    ...(input.rubricOnly && { rubricOnly: input.rubricOnly }),
    ...(bar && { bar }),
  };
}

/**
 * A technical answer cannot be deeper, more specific or clearer than it is correct: explaining a
 * wrong mechanism well is not depth. Every other criterion stays within one level of correctness.
 */
function boundByCorrectness(drafts: CriterionDraft[]): CriterionDraft[] {
  const correctness = drafts.find((d) => d.id === 'correctness');
  if (!correctness) return drafts;
  const bound = (correctness.level ?? 1) + 1;
  return drafts.map((d) =>
    d === correctness || d.level === null || d.level <= bound
      ? d
      : { ...d, level: bound, held: `Held to ${Math.round(bound)}: it cannot count for more than the answer is correct` },
  );
}
