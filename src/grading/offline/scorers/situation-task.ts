import { countMatches, find, markerLevel, type Scorer } from '../context.js';
import { HYPOTHETICAL, NUMBER_WITH_UNIT, SITUATION, TASK } from '../lexicon.js';

/** STAR: one real situation, with the stakes and the candidate's own responsibility. */
export const situationTask: Scorer = (ctx) => {
  const s = find(ctx, SITUATION);
  const t = find(ctx, TASK);
  const stakes = countMatches(ctx.answer, NUMBER_WITH_UNIT) > 0 ? 1 : 0;
  const hypothetical = countMatches(ctx.answer, HYPOTHETICAL) >= 2 && s.count === 0;
  let level = markerLevel(s.count + 2 * t.count + (s.count + t.count > 0 ? stakes : 0), [1, 2, 3, 4]);
  if (level !== null && t.count === 0) level = Math.min(level, 3);
  if (hypothetical) level = 1;
  return {
    level,
    evidence: [...t.evidence, ...s.evidence].slice(0, 2),
    shows: level === null || hypothetical ? '' : t.count ? 'Sets the scene and states your own responsibility' : 'Sets the scene',
    lacks: hypothetical
      ? 'Talks about what you would or usually do, not one real situation'
      : level === null
        ? 'No concrete situation or responsibility'
        : t.count
          ? 'Say what was at stake'
          : 'Your own task or responsibility is not stated',
  };
};
