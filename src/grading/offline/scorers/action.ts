import { countMatches, hits, markerLevel, type Scorer } from '../context.js';
import { AND_ACTION, I_ACTION, WE } from '../lexicon.js';

const ONE_I = new RegExp(I_ACTION.source, 'i');

/** STAR: what the candidate did personally ("I", not "we"), counting every action of a sentence told by "I". */
export const action: Scorer = (ctx) => {
  const mine =
    countMatches(ctx.answer, I_ACTION) +
    ctx.spans.filter((s) => ONE_I.test(s.text)).reduce((n, s) => n + countMatches(s.text, AND_ACTION), 0);
  const ours = countMatches(ctx.answer, WE);
  let level = mine === 0 ? (ours ? 1 : null) : markerLevel(mine, [1, 2, 3, 5]);
  const mostlyWe = mine > 0 && ours > mine * 1.5;
  if (level !== null && mostlyWe) level = Math.max(1, level - 1);
  const acts = `${mine} action${mine === 1 ? '' : 's'} in the first person`;
  return {
    level,
    evidence: mine ? hits(ctx, I_ACTION, 3) : hits(ctx, WE, 1),
    shows: mine ? ((level ?? 0) >= 4 ? `${acts}: what you did yourself is clear` : acts) : '',
    lacks: mine
      ? mostlyWe
        ? `${acts} against ${ours} of "we": say what you personally did`
        : 'Add the other steps you took and why you took them'
      : ours
        ? 'Only what the team did ("we"): say what you personally did'
        : 'No actions: say what you did, step by step',
  };
};
