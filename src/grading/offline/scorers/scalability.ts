import { marker, type Scorer } from '../context.js';
import { SCALABILITY } from '../lexicon.js';

/** system design: caching, partitioning, queues, replicas. */
export const scalability: Scorer = (ctx) =>
  marker(ctx, SCALABILITY, [1, 2, 3, 5], {
    found: 'Scaling mechanisms',
    none: 'No concrete scaling mechanism (caching, partitioning, queues, replicas)',
    more: 'Tie more scaling mechanisms to the bottlenecks (caching, partitioning, queues, read replicas)',
  });
