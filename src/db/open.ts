import type { Tracer } from '@opentelemetry/api';
import type { BankEntry } from '../bank/schema.js';
import type { DatabaseConfig } from '../config.js';
import { PostgresStore } from './postgres/store.js';
import { SqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/**
 * The store the configuration names, holding `bank`: SQLite at DATABASE_PATH, or PostgreSQL at
 * DATABASE_URL. SQLite is ready at once; PostgreSQL connects, migrates and loads the bank in the
 * background: await `store.ready` before serving. With `tracer`, each transaction is a span.
 */
export function openStore(config: DatabaseConfig, bank: BankEntry[] = [], tracer?: Tracer): Store {
  return config.kind === 'postgres' ? new PostgresStore(config, bank, tracer) : new SqliteStore(config.path, bank, tracer);
}
