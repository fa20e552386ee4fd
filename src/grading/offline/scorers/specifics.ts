import { blend, distinctMatches, hits, markerLevel, relativeToReference, type Scorer } from '../context.js';
import { AWS_SERVICES, NUMBER_WITH_UNIT } from '../lexicon.js';

const CONCRETE = new RegExp(`${AWS_SERVICES.source}|${NUMBER_WITH_UNIT.source}`, 'gi');

/** technical: named services, settings, numbers and examples. */
export const specifics: Scorer = (ctx) => {
  const services = distinctMatches(ctx.answer, AWS_SERVICES);
  const numbers = distinctMatches(ctx.answer, NUMBER_WITH_UNIT);
  const n = services.length + numbers.length;
  return relativeToReference(
    ctx,
    CONCRETE,
    {
      level: blend(markerLevel(n, [1, 2, 4, 6]), ctx, 0.6),
      evidence: n ? hits(ctx, CONCRETE) : [],
      shows: n ? `Concrete: ${[...services, ...numbers].slice(0, 6).join(', ')}` : '',
      lacks: n
        ? numbers.length
          ? 'Add a worked example with the settings you would use'
          : 'Add numbers or settings, or a worked example'
        : 'No concrete service, setting, number or example',
    },
    'named services or numbers',
  );
};
