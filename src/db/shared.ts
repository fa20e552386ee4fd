import { createHash, randomUUID } from 'node:crypto';
import type { BankEntry } from '../bank/schema.js';

/** What both stores share: how a bank entry is stored, and the snapshot cache. */

export const hashOf = (e: BankEntry) => createHash('sha256').update(JSON.stringify(e)).digest('hex');

/** A bank entry as a row of the questions table. */
export function bankRow(e: BankEntry, contentHash: string, at: Date) {
  return {
    id: e.id,
    number: e.number,
    prompt: e.prompt,
    referenceAnswer: e.referenceAnswer,
    category: e.category,
    rubricId: e.rubric,
    topics: e.topics,
    leadershipPrinciples: e.leadershipPrinciples,
    signals: e.signals,
    pitfalls: e.pitfalls,
    source: e.source,
    contentHash,
    updatedAt: at.toISOString(),
  };
}

/**
 * Snapshots of asked questions never change: each is read once, and many sessions asking the same
 * question share one parsed copy (interned by its stored form). Both maps are bounded.
 */
export class SnapshotCache {
  private readonly byId = new Map<number, BankEntry | null>();
  private readonly interned = new Map<string, BankEntry>();

  /** `read` gives the snapshot as stored JSON text (null for none). */
  async get(sessionQuestionId: number, read: () => string | null | Promise<string | null>): Promise<BankEntry | null> {
    let snap = this.byId.get(sessionQuestionId);
    if (snap === undefined) {
      const stored = await read();
      snap = stored === null ? null : this.intern(stored);
      bounded(this.byId, 5000);
      this.byId.set(sessionQuestionId, snap);
    }
    return snap;
  }

  clear() {
    this.byId.clear();
  }

  private intern(stored: string): BankEntry {
    let entry = this.interned.get(stored);
    if (!entry) {
      entry = JSON.parse(stored) as BankEntry;
      bounded(this.interned, 2000);
      this.interned.set(stored, entry);
    }
    return entry;
  }
}

/** Drops the oldest entry of a map that reached its size. */
function bounded<K, V>(map: Map<K, V>, size: number) {
  if (map.size >= size) map.delete(map.keys().next().value!);
}

/** This process's row in `write_probes`. */
export const PROBE_OWNER = randomUUID();
