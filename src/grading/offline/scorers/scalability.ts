import { marker, type Scorer } from '../context.js';
import { SCALABILITY } from '../lexicon.js';

/** system design: caching, partitioning, queues, replicas. */
export const scalability: Scorer = (ctx) =>
  marker(ctx, SCALABILITY, [1, 2, 3, 5], 'Scaling mechanisms', 'No concrete scaling mechanism (caching, partitioning, queues, replicas).');
