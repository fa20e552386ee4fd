import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
