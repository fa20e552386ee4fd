import { bestContentSpans, distinctMatches, hits, markerLevel, type Scorer } from '../context.js';
import { CUSTOMER_METRIC, MEASUREMENT, PROPOSAL } from '../lexicon.js';

const IDEA = new RegExp(`${PROPOSAL.source}|${MEASUREMENT.source}|${CUSTOMER_METRIC.source}`, 'gi');

/** company: concrete, realistic proposals, and how each would be measured. */
export const ideas: Scorer = (ctx) => {
  const proposals = distinctMatches(ctx.answer, PROPOSAL);
  const measures = distinctMatches(ctx.answer, MEASUREMENT);
  const metrics = distinctMatches(ctx.answer, CUSTOMER_METRIC);
  const n = Math.min(3, proposals.length) + Math.min(2, measures.length) + Math.min(2, metrics.length);
  const level = markerLevel(n, [1, 2, 4, 6]);
  return {
    level: level ?? (ctx.content.content >= 0.2 ? 2 : null),
    evidence: n ? hits(ctx, IDEA, 3) : bestContentSpans(ctx, 1),
    feedback: n
      ? `${proposals.length ? 'Concrete proposals' : 'No concrete proposal'}${measures.length || metrics.length ? `, measured by ${[...metrics, ...measures].slice(0, 4).join(', ')}` : ', but no way to measure them'}.`
      : 'No concrete ideas or how you would measure them.',
  };
};
