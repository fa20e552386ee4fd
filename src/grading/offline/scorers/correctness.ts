import { bestContentSpans, clampLevel, contentLevel, type Scorer } from '../context.js';
import { shorten } from '../../text.js';

/**
 * technical: how much of the reference answer's key points the answer covers, and no
 * contradiction of it. The level is the content measure, kept within what the count of covered
 * points can stand for, so the card's "covers k of n" and its score agree: none covered is at
 * most a 2, one of four at most a 3, all of them at least a 4. A long reference holds more than a
 * spoken answer needs: three quarters of its points count as all of them.
 */
/** Fewer than half the key points covered is a 3 at most, whatever else is touched on. */
const BELOW_HALF = 3.49;
/** The coverage from which a point not covered is touched on. */
const TOUCHED = 0.25;

export const correctness: Scorer = (ctx) => {
  const points = ctx.content.points;
  const n = points.length;
  const k = points.filter((p) => p.covered).length;
  /** Points the answer touches on without covering: worth half a covered one in the bound. */
  const touched = points.filter((p) => !p.covered && p.coverage >= TOUCHED).length;
  let level: number | null = ctx.content.content < 0.05 && k === 0 ? null : contentLevel(ctx.content);
  if (level !== null && n) {
    const share = Math.min(1, (k + touched / 2) / (n * Math.max(0.75, ctx.content.fullCoverage)));
    level = clampLevel(Math.max(Math.min(level, 2.4 + 2.6 * share, k / n < 0.5 ? BELOW_HALF : 5), 1 + 3 * (k / n)));
  }
  const count = `${k} of the ${n} key point${n === 1 ? '' : 's'} of the reference answer`;
  const more = touched ? ` and touches on ${touched} more` : '';
  let shows = n ? `Covers ${count}${more}` : '';
  let lacks = n
    ? k === 0
      ? `Covers none of the ${n} key point${n === 1 ? '' : 's'} of the reference answer${more}`
      : `Covers ${count}${more}; the Missed list says what is left`
    : 'No reference answer to compare with';
  let held: string | undefined;
  if (ctx.contradiction.length) {
    level = Math.min(level ?? 1, 2);
    held = `It contradicts the reference: "${shorten(ctx.contradiction[0]!.text, 100)}"`;
    shows = '';
  }
  if (n && k === n) lacks = `Covers ${count}, but too briefly to show the whole picture`;
  return { level, evidence: ctx.contradiction.length ? ctx.contradiction : bestContentSpans(ctx), shows, lacks, held };
};
