import { marker, type Scorer } from '../context.js';
import { REQUIREMENTS } from '../lexicon.js';

/** system design: functional and non-functional requirements, scope. */
export const requirements: Scorer = (ctx) =>
  marker(ctx, REQUIREMENTS, [1, 2, 3, 5], 'States requirements or scope', 'Does not state functional or non-functional requirements.');
