import { countMatches, hits, markerLevel, type Scorer } from '../context.js';
import { I_ACTION, WE } from '../lexicon.js';

/** STAR: what the candidate did personally ("I", not "we"). */
export const action: Scorer = (ctx) => {
  const mine = countMatches(ctx.answer, I_ACTION);
  const ours = countMatches(ctx.answer, WE);
  let level = mine === 0 ? (ours ? 1 : null) : markerLevel(mine, [1, 2, 3, 5]);
  const mostlyWe = mine > 0 && ours > mine * 1.5;
  if (level !== null && mostlyWe) level = Math.max(1, level - 1);
  const acts = `${mine} action${mine === 1 ? '' : 's'} in the first person`;
  return {
    level,
    evidence: mine ? hits(ctx, I_ACTION, 3) : hits(ctx, WE, 1),
    shows: mine ? `${acts}: what you did yourself is clear` : '',
    lacks: mine
      ? mostlyWe
        ? `${acts} against ${ours} of "we/our/the team": say what you personally did`
        : `${acts}: add the other steps you took and why you took them`
      : ours
        ? `Only what the team did ("we"): say what you personally did`
        : 'No actions: say what you did, step by step',
  };
};
