import { countMatches, hits, markerLevel, type Scorer } from '../context.js';
import { I_ACTION, WE } from '../lexicon.js';

/** STAR: what the candidate did personally ("I", not "we"). */
export const action: Scorer = (ctx) => {
  const mine = countMatches(ctx.answer, I_ACTION);
  const ours = countMatches(ctx.answer, WE);
  let level = mine === 0 ? (ours ? 1 : null) : markerLevel(mine, [1, 2, 3, 5]);
  if (level !== null && ours > mine * 1.5 && mine > 0) level = Math.max(1, level - 1);
  return {
    level,
    evidence: mine ? hits(ctx, I_ACTION, 3) : hits(ctx, WE, 1),
    feedback: `${mine} action(s) in the first person singular, ${ours} mention(s) of "we/our/the team"${ours > mine ? ': say what you personally did' : ''}.`,
  };
};
