import type { ContentAnalysis } from '../analysis.js';
import type { Flag } from '../grade.js';
import type { RubricKind } from '../rubrics.js';
import { contentStems, memoize, type Span } from '../text.js';
import type { GradeInput } from '../types.js';
import { QUESTION_WORD_WEIGHT } from '../analysis.js';
import { distinctMatches, perPattern, single } from './matching.js';
import type { Theme } from './themes.js';

/** What every criterion scorer reads: the answer, its sentences, its analysis and the guards' flags. */
export interface ScoringContext {
  input: GradeInput;
  kind: RubricKind;
  /** The answer with text addressed to the grader blanked out (same offsets as the original). */
  answer: string;
  /** Sentences of the answer (exact substrings of what the candidate wrote), injections left out. */
  spans: Span[];
  content: ContentAnalysis;
  flags: Flag[];
  contradiction: Span[];
  /** The themes the question asks about (behavioural questions). */
  themes: Theme[];
}

/**
 * A scorer's verdict on one criterion: a level from 1 to 5 (fractional inside the grader; the
 * 0–100 score keeps the detail, criteria show whole levels) or null for no evidence at all, the
 * sentences that earned it, what the answer does for the criterion and what it lacks. The card
 * says `shows` at 3 and above and `lacks` at 3 and below (card.ts), so each must be true of the
 * answer on its own: `lacks` never denies what `shows` found.
 */
export interface Scored {
  level: number | null;
  evidence: Span[];
  shows: string;
  lacks: string;
  /** Why the scorer held the level down, said whatever the band. */
  held?: string;
}

export type Scorer = (ctx: ScoringContext) => Scored;

export const clampLevel = (x: number) => Math.max(1, Math.min(5, x));
/** Content coverage as a level: full marks at the coverage that makes a complete answer for this reference. */
export const contentLevel = (content: ContentAnalysis) => clampLevel(1 + 4 * Math.min(1, content.content / content.fullCoverage));

export { countMatches, distinctMatches } from './matching.js';

/** Longest quote: a longer sentence is cut to the part around what was found. */
const MAX_QUOTE = 220;

/** A part of a long sentence around a match, cut at word boundaries: still an exact substring. */
function around(span: Span, index: number, length: number): Span {
  if (span.text.length <= MAX_QUOTE) return span;
  const half = Math.floor((MAX_QUOTE - length) / 2);
  let from = Math.max(0, index - half);
  let to = Math.min(span.text.length, from + MAX_QUOTE);
  from = Math.max(0, to - MAX_QUOTE);
  if (from > 0) from = span.text.indexOf(' ', from) + 1 || from;
  if (to < span.text.length) to = span.text.lastIndexOf(' ', to) > from ? span.text.lastIndexOf(' ', to) : to;
  const text = span.text.slice(from, to).trim();
  const start = span.start + span.text.indexOf(text, from);
  return { text, start, end: start + text.length };
}

/** The sentences that match a pattern: the evidence for what the pattern found. */
export function hits(ctx: ScoringContext, re: RegExp, n = 2): Span[] {
  const one = single(re);
  const out: Span[] = [];
  for (const s of ctx.spans) {
    const m = one.exec(s.text);
    if (m) out.push(around(s, m.index, m[0].length));
    if (out.length >= n) break;
  }
  return out;
}

/** Distinct matches in the answer and the sentences they are in. */
export function find(ctx: ScoringContext, re: RegExp, n = 2): { count: number; found: string[]; evidence: Span[] } {
  const found = distinctMatches(ctx.answer, re);
  return { count: found.length, found, evidence: found.length ? hits(ctx, re, n) : [] };
}

/** A count of signals as a level: `steps` are the counts that reach levels 2, 3, 4 and 5. */
export function markerLevel(count: number, steps: [number, number, number, number]): number | null {
  if (count <= 0) return null;
  if (count >= steps[3]) return 5;
  if (count >= steps[2]) return 4;
  if (count >= steps[1]) return 3;
  if (count >= steps[0]) return 2;
  return 1;
}

/** A marker level mixed with content coverage: a term named without the substance counts for less. */
export function blend(marker: number | null, ctx: ScoringContext, markerWeight = 0.6): number | null {
  const c = contentLevel(ctx.content);
  if (marker === null) return ctx.content.content >= 0.35 ? clampLevel(c - 1) : ctx.content.content >= 0.1 ? clampLevel(c - 1.5) : null;
  return clampLevel(markerWeight * marker + (1 - markerWeight) * c);
}

/**
 * Sentences that share the most content with the reference answer (words the question already
 * used count for less): the sentences that earn a content-based level.
 */
export function bestContentSpans(ctx: ScoringContext, n = 2): Span[] {
  return rankedContentSpans(ctx).slice(0, n);
}

/** The answer's sentences that carry reference content, best first: worked out once per answer. */
const ranked = new WeakMap<ScoringContext, Span[]>();
function rankedContentSpans(ctx: ScoringContext): Span[] {
  let spans = ranked.get(ctx);
  if (!spans) {
    const ref = ctx.content.pointStems;
    spans = ctx.spans
      .map((s) => ({
        s,
        m: contentStems(s.text)
          .filter((x) => ref.has(x))
          .reduce((sum, x) => sum + (ctx.content.questionStems.has(x) ? QUESTION_WORD_WEIGHT : 1), 0),
      }))
      .filter((x) => x.m > 0)
      .sort((a, b) => b.m - a.m)
      .map((x) => x.s);
    ranked.set(ctx, spans);
  }
  return spans;
}

/** Whether a reference answer has a match of a pattern: worked out once per reference and pattern. */
const referenceHas = perPattern((re) => memoize((reference) => single(re).test(reference)));

/**
 * A criterion the reference answer itself gives no example of (no mechanism, no named service,
 * no trade-off) is not held against a short answer: it is judged on content instead, with the
 * sentences that carry that content as evidence.
 */
export function relativeToReference(ctx: ScoringContext, re: RegExp, scored: Scored, what: string): Scored {
  if (referenceHas(re)(ctx.input.referenceAnswer)) return scored;
  const level = ctx.content.content < 0.05 ? null : contentLevel(ctx.content);
  if (level === null || (scored.level !== null && scored.level >= level)) return scored;
  return {
    level,
    evidence: scored.evidence.length ? scored.evidence : bestContentSpans(ctx, 1),
    shows: [scored.shows, `Judged on its coverage of the reference answer, the measure of ${what} for this question`]
      .filter(Boolean)
      .join('. '),
    lacks: scored.lacks,
  };
}

/** What a marker criterion calls what it found, and what it says when it finds none or too few. */
export interface MarkerWords {
  /** "Failure handling": followed by what was found. */
  found: string;
  /** When nothing was found. */
  none: string;
  /** When something was found but not enough for a 5: what else to bring. */
  more: string;
}

/** A criterion judged by how many distinct signals of one pattern the answer has. */
export function marker(ctx: ScoringContext, re: RegExp, steps: [number, number, number, number], words: MarkerWords, weight = 0.6): Scored {
  const m = find(ctx, re);
  const level = blend(markerLevel(m.count, steps), ctx, weight);
  return {
    level,
    evidence: m.evidence.length ? m.evidence : bestContentSpans(ctx, 1),
    shows: m.count
      ? `${words.found}: ${quoteAll(m.found.slice(0, 4))}`
      : level !== null
        ? `Covers the reference answer's content on this, though in general terms`
        : '',
    lacks: m.count ? (m.count < steps[3] ? words.more : '') : words.none,
  };
}

/** What was found, quoted as the answer says it: "so that", "instead of". */
export const quoteAll = (found: string[]) => found.map((f) => `"${f}"`).join(', ');
