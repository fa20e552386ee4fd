import type { Drifted, NoDrift } from './rows.js';
import type * as postgres from './postgres/schema.js';
import type * as sqlite from './sqlite/schema.js';

/**
 * Each dialect's tables select the rows `rows.ts` defines: `tsc` fails here, naming the tables,
 * when a schema drifts from them. Nothing imports this module; it exists to be type-checked.
 */
export type SqliteRowsMatch = NoDrift<Drifted<typeof sqlite>>;
export type PostgresRowsMatch = NoDrift<Drifted<typeof postgres>>;
