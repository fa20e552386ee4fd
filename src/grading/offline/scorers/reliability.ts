import { marker, type Scorer } from '../context.js';
import { FAILURE } from '../lexicon.js';

/** system design: failure modes and how the system survives them. */
export const reliability: Scorer = (ctx) =>
  marker(ctx, FAILURE, [1, 2, 3, 5], {
    found: 'Failure handling',
    none: 'Failure modes are not discussed (AZ loss, retries, idempotency, alarms)',
    more: 'Name the failure scenarios and what happens in each (AZ loss, retries with backoff, idempotency, alarms)',
  });
