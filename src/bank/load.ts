import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { questions } from '../db/schema.js';
import { BankError } from '../errors.js';
import { type BankEntry, BankFile } from './schema.js';

export const BANK_DIR = fileURLToPath(new URL('./data', import.meta.url));

/** Reads and validates every bank file (*.json) in a folder. */
export function readBankDir(dir: string = BANK_DIR): BankEntry[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const entries: BankEntry[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new BankError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
    const parsed = BankFile.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BankError(`${path}: field "${issue.path.join('.')}": ${issue.message}`);
    }
    for (const entry of parsed.data.entries) {
      const other = ids.get(entry.id);
      if (other) throw new BankError(`${path}: question id "${entry.id}" is also in ${other}`);
      ids.set(entry.id, path);
      entries.push(entry);
    }
  }
  return entries;
}

const hashOf = (e: BankEntry) => createHash('sha256').update(JSON.stringify(e)).digest('hex');

/**
 * Loads the bank into the questions table idempotently: unchanged entries are left alone, changed
 * ones updated in place (ids are stable, so sessions that used them keep their references).
 */
export function loadBank(db: Db, entries: BankEntry[], now = new Date()) {
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const updatedAt = now.toISOString();
  // Immediate: another process loading the same bank waits for this one instead of failing.
  db.transaction(
    (tx) => {
      for (const e of entries) {
        const contentHash = hashOf(e);
        const existing = tx.select({ hash: questions.contentHash }).from(questions).where(eq(questions.id, e.id)).get();
        if (existing?.hash === contentHash) {
          counts.unchanged++;
          continue;
        }
        const row = {
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
          updatedAt,
        };
        if (existing) {
          tx.update(questions).set(row).where(eq(questions.id, e.id)).run();
          counts.updated++;
        } else {
          tx.insert(questions).values(row).run();
          counts.inserted++;
        }
      }
    },
    { behavior: 'immediate' },
  );
  return counts;
}
