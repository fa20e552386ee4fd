import { find, type Scorer } from '../context.js';
import { CHANGE_AFTER, REFLECTION } from '../lexicon.js';

const LEARNED = new RegExp(`${REFLECTION.source}|${CHANGE_AFTER.source}`, 'gi');

/** STAR: a specific lesson and what changed afterwards. */
export const reflection: Scorer = (ctx) => {
  const m = find(ctx, LEARNED);
  const changed = find(ctx, CHANGE_AFTER).count > 0;
  return {
    level: m.count ? Math.min(5, 2 + m.count + (changed ? 1 : 0)) : null,
    evidence: m.evidence,
    feedback: m.count
      ? changed
        ? 'Reflects on what you learned and what you changed afterwards.'
        : 'Reflects on what you learned; say what you changed afterwards.'
      : 'No reflection: what did you learn, what would you do differently?',
  };
};
