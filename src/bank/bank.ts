import { AppError } from '../errors.js';
import type { BankEntry } from './schema.js';

/**
 * The question bank in memory. It is validated once at start-up and never changes while the
 * server runs, so lookups by id never need the database.
 */
export class Bank {
  private readonly byId: Map<string, BankEntry>;

  constructor(readonly entries: readonly BankEntry[]) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  get(id: string): BankEntry | undefined {
    return this.byId.get(id);
  }

  /** A question a stored session refers to: its absence is a broken database, not bad input. */
  require(id: string): BankEntry {
    const q = this.byId.get(id);
    if (!q) throw new AppError('internal', `question ${id} is missing from the bank`);
    return q;
  }
}
