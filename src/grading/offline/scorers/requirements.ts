import { marker, type Scorer } from '../context.js';
import { REQUIREMENTS } from '../lexicon.js';

/** system design: functional and non-functional requirements, scope. */
export const requirements: Scorer = (ctx) =>
  marker(ctx, REQUIREMENTS, [1, 2, 3, 5], {
    found: 'States requirements or scope',
    none: 'Does not state functional or non-functional requirements',
    more: 'Put targets on the requirements (QPS, latency, availability) and say what is out of scope',
  });
