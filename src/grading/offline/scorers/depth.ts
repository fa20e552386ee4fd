import { bestContentSpans, blend, find, markerLevel, quoteAll, relativeToReference, type Scorer } from '../context.js';
import { MECHANISM } from '../lexicon.js';

/** technical: explains how and why, not only what. */
export const depth: Scorer = (ctx) => {
  const m = find(ctx, MECHANISM);
  return relativeToReference(
    ctx,
    MECHANISM,
    {
      level: blend(markerLevel(m.count, [1, 1, 2, 3]), ctx, 0.5),
      evidence: m.evidence.length ? m.evidence : bestContentSpans(ctx, 1),
      shows: m.count ? `Explains how or why in ${m.count} place${m.count > 1 ? 's' : ''} (${quoteAll(m.found.slice(0, 3))})` : '',
      lacks: m.count
        ? m.count < 3
          ? 'Go one level deeper: what happens underneath, and why it gives the property'
          : ''
        : 'Names things without explaining how they work or why',
    },
    'explanation of mechanism',
  );
};
