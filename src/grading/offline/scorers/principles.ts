import { hits, markerLevel, type Scorer } from '../context.js';
import { PRINCIPLE_WORDS } from '../lexicon.js';
import { namedPrinciples } from '../principles.js';

/** company: linked to the Leadership Principles, by name or by the behaviour the question's principles are about. */
export const principles: Scorer = (ctx) => {
  const named = namedPrinciples(ctx);
  const targeted = (ctx.input.leadershipPrinciples ?? []).filter((p) => !named.names.includes(p));
  const implied = targeted.filter((p) => hits(ctx, PRINCIPLE_WORDS[p]!, 1).length);
  const byName = markerLevel(named.names.length, [1, 1, 2, 3]);
  // Behaviour without the name shows the principle at work, but says less than naming and applying it.
  const byBehaviour = implied.length ? Math.min(3, 1 + implied.length) : null;
  const level = byName === null ? byBehaviour : Math.min(5, byName + (implied.length ? 1 : 0));
  return {
    level,
    evidence: [...named.evidence, ...implied.flatMap((p) => hits(ctx, PRINCIPLE_WORDS[p]!, 1))].slice(0, 2),
    shows: named.names.length
      ? `Links to ${named.names.join(', ')}`
      : implied.length
        ? `Shows ${implied.join(', ')} in what you propose`
        : '',
    lacks: named.names.length
      ? 'Show each principle at work in something you did or propose'
      : implied.length
        ? 'Name the principle and apply it'
        : 'No link to the Leadership Principles',
  };
};
