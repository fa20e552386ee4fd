import { marker, type Scorer } from '../context.js';
import { CAPACITY } from '../lexicon.js';

/** system design: sizes the system with numbers. */
export const capacity: Scorer = (ctx) =>
  marker(
    ctx,
    CAPACITY,
    [1, 2, 3, 4],
    {
      found: 'Sizes the system',
      none: 'No capacity numbers (requests per second, data size, peak)',
      more: 'Estimate peak traffic and storage growth, and use the numbers to make a choice',
    },
    0.8,
  );
