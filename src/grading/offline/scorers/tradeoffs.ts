import { find, markerLevel, quoteAll, relativeToReference, type Scorer } from '../context.js';
import { TRADEOFF } from '../lexicon.js';

/** technical and system design: alternatives, limits and what each choice costs. */
export const tradeoffs: Scorer = (ctx) => {
  const m = find(ctx, TRADEOFF);
  const scored = {
    level: markerLevel(m.count, [1, 2, 3, 4]),
    evidence: m.evidence,
    shows: m.count ? `Weighs alternatives or limits (${quoteAll(m.found.slice(0, 4))})` : '',
    lacks: m.count
      ? m.count < 4
        ? 'Weigh the alternatives against each other: what each costs and when it wins'
        : ''
      : 'No trade-offs, limits or alternatives discussed',
  };
  // A design answer owes its trade-offs whatever the example answer did; a short technical one does not.
  return ctx.kind === 'system_design' ? scored : relativeToReference(ctx, TRADEOFF, scored, 'trade-offs');
};
