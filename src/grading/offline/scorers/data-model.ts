import { marker, type Scorer } from '../context.js';
import { DATA_MODEL } from '../lexicon.js';

/** system design: keys, tables and access patterns. */
export const dataModel: Scorer = (ctx) =>
  marker(ctx, DATA_MODEL, [1, 2, 3, 5], {
    found: 'Data model',
    none: 'No data model: keys, tables and access patterns are missing',
    more: 'Give the keys and the access patterns they serve, and why this store',
  });
