import { countMatches, find, markerLevel, type Scorer } from '../context.js';
import { EXPERIENCE, PERSONAL } from '../lexicon.js';

/** company: why it matters to the candidate, backed by what they did. */
export const personal: Scorer = (ctx) => {
  const experience = find(ctx, EXPERIENCE);
  const mentions = countMatches(ctx.answer, PERSONAL);
  return {
    level: experience.count ? markerLevel(experience.count + 1, [1, 2, 3, 4]) : mentions >= 2 ? 2 : null,
    evidence: experience.evidence,
    shows: experience.count ? 'Backs it with your own experience' : '',
    lacks: experience.count
      ? 'Add another example of your own that shows it'
      : 'Nothing from your own experience: say what you did that shows it',
  };
};
