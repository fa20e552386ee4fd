import { marker, type Scorer } from '../context.js';
import { FAILURE } from '../lexicon.js';

/** system design: failure modes and how the system survives them. */
export const reliability: Scorer = (ctx) =>
  marker(ctx, FAILURE, [1, 2, 3, 5], 'Failure handling', 'Failure modes are not discussed (AZ loss, retries, idempotency, alarms).');
