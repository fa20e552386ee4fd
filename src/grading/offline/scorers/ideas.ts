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
  const measured = [...metrics, ...measures].slice(0, 4);
  return {
    level: level ?? (ctx.content.content >= 0.2 ? 2 : null),
    evidence: n ? hits(ctx, IDEA, 3) : bestContentSpans(ctx, 1),
    shows: proposals.length
      ? `Concrete proposals${measured.length ? `, measured by ${measured.join(', ')}` : ''}`
      : measured.length
        ? `Says how to measure it (${measured.join(', ')})`
        : '',
    lacks: !proposals.length
      ? 'No concrete proposal: say what you would do'
      : !measured.length
        ? 'Say how you would measure each proposal'
        : 'Add how you would test the idea before rolling it out',
  };
};
