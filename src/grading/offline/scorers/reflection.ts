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
    shows: m.count ? (changed ? 'Says what you learned and what you changed afterwards' : 'Says what you learned') : '',
    lacks: m.count
      ? changed
        ? 'Make the lesson specific and show where you applied it since'
        : 'Say what you changed afterwards because of it'
      : 'No reflection: what did you learn, what would you do differently?',
  };
};
