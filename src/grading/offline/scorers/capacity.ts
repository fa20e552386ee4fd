import { marker, type Scorer } from '../context.js';
import { CAPACITY } from '../lexicon.js';

/** system design: sizes the system with numbers. */
export const capacity: Scorer = (ctx) =>
  marker(ctx, CAPACITY, [1, 2, 3, 4], 'Sizes the system', 'No capacity numbers (requests per second, data size, peak).', 0.8);
