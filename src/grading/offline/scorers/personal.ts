import { countMatches, find, markerLevel, type Scorer } from '../context.js';
import { EXPERIENCE, PERSONAL } from '../lexicon.js';

/** company: why it matters to the candidate, backed by what they did. */
export const personal: Scorer = (ctx) => {
  const experience = find(ctx, EXPERIENCE);
  const mentions = countMatches(ctx.answer, PERSONAL);
  return {
    level: experience.count ? markerLevel(experience.count + 1, [1, 2, 3, 4]) : mentions >= 2 ? 2 : null,
    evidence: experience.evidence,
    feedback: experience.count ? 'Backs it with your own experience.' : 'Nothing from your own experience.',
  };
};
