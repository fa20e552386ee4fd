import { bestContentSpans, contentLevel, type Scorer } from '../context.js';
import { shorten } from '../../text.js';

/** technical: how much of the reference answer's key points the answer covers, and no contradiction of it. */
export const correctness: Scorer = (ctx) => {
  const points = ctx.content.points;
  const covered = points.filter((p) => p.covered).length;
  let level: number | null = ctx.content.content < 0.05 ? null : contentLevel(ctx.content);
  let feedback = points.length
    ? `Covers ${covered} of ${points.length} key points of the reference answer.`
    : 'No reference answer to compare with.';
  if (ctx.contradiction.length) {
    level = Math.min(level ?? 1, 2);
    feedback += ` It contradicts the reference: "${shorten(ctx.contradiction[0]!.text, 100)}".`;
  }
  return { level, evidence: ctx.contradiction.length ? ctx.contradiction : bestContentSpans(ctx), feedback };
};
