import { bestContentSpans, clampLevel, contentLevel, distinctMatches, hits, markerLevel, type Scorer } from '../context.js';
import { AMAZON_SPECIFIC, COMPANY_CONCRETE, CUSTOMER_METRIC } from '../lexicon.js';

/**
 * company: specific about Amazon. Amazon's own mechanisms and products, concrete parts of the
 * customer experience and customer metrics all count; so do the reference answer's points, but
 * the reference is one good answer, not the only one.
 */
export const specificity: Scorer = (ctx) => {
  const amazon = distinctMatches(ctx.answer, AMAZON_SPECIFIC);
  const concrete = distinctMatches(ctx.answer, COMPANY_CONCRETE);
  const metrics = distinctMatches(ctx.answer, CUSTOMER_METRIC);
  const n = amazon.length + Math.min(3, Math.ceil(concrete.length / 2)) + Math.min(2, metrics.length);
  const byTerms = markerLevel(n, [1, 2, 4, 6]);
  const byReference = ctx.content.content >= 0.1 ? clampLevel(contentLevel(ctx.content)) : null;
  const level = byTerms === null ? byReference : Math.max(byTerms, byReference ?? 1);
  const terms = [...amazon, ...concrete, ...metrics];
  return {
    level,
    evidence: terms.length
      ? hits(ctx, new RegExp(`${AMAZON_SPECIFIC.source}|${COMPANY_CONCRETE.source}|${CUSTOMER_METRIC.source}`, 'gi'))
      : bestContentSpans(ctx, 1),
    shows: terms.length ? `Specific: ${terms.slice(0, 6).join(', ')}` : level !== null ? 'Makes points the reference answer makes' : '',
    lacks: terms.length
      ? 'Name more of what Amazon actually does: its mechanisms, products and customer metrics'
      : 'Generic: nothing specific to Amazon or its customers',
  };
};
