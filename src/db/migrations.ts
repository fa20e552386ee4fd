import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * A database is never opened by a mockloop older than the one that last migrated it: the
 * newer version's tables and columns are not this code's, and a half-understood schema fails in
 * the middle of a turn (a missing column) or, worse, silently. Start-up stops instead, naming
 * both versions: the newest migration the database has had, and the newest this code knows.
 */
export function refuseNewer(applied: { count: number; latest: number | undefined }, migrationsFolder: string, where: string): void {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number; tag: string }>;
  };
  const known = journal.entries.at(-1);
  if (!known || applied.latest === undefined) return;
  if (applied.latest > known.when || applied.count > journal.entries.length) {
    throw new ConfigError(
      `${where} was migrated by a newer version of mockloop: it has ${applied.count} migrations, the latest from ${stamp(applied.latest)}; ` +
        `this version knows ${journal.entries.length}, up to ${known.tag} (${stamp(known.when)}). Run the newer mockloop, or use another database.`,
    );
  }
}

const stamp = (millis: number) => new Date(millis).toISOString().replace(/\.\d+Z$/, 'Z');
