import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readBankDir } from '../src/bank/load.js';
import { SqliteStore } from '../src/db/sqlite/store.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'mockloop-bank-')), 'bank.db');

describe('loading the bank into the database', () => {
  const entries = readBankDir();

  it('ships the 80 guide questions and at least two questions per Leadership Principle', () => {
    expect(entries.filter((e) => e.source === 'amazon')).toHaveLength(80);
    const lp = entries.filter((e) => e.source === 'mockloop-lp');
    expect(lp.length).toBeGreaterThanOrEqual(32);
    const perPrinciple = new Map<string, number>();
    for (const e of lp) {
      expect(e).toMatchObject({ rubric: 'star', category: 'behavioral' });
      expect(e.prompt).toMatch(/^Tell me about/);
      expect(e.signals.length).toBeGreaterThanOrEqual(3);
      expect(e.pitfalls.length).toBeGreaterThanOrEqual(2);
      for (const p of e.leadershipPrinciples) perPrinciple.set(p, (perPrinciple.get(p) ?? 0) + 1);
    }
    expect(perPrinciple.size).toBe(16);
    for (const n of perPrinciple.values()) expect(n).toBeGreaterThanOrEqual(2);
  });

  it('is idempotent: loading twice changes nothing', async () => {
    const file = tempFile();
    const store = new SqliteStore(file);
    expect(await store.loadBank(entries, new Date())).toEqual({ inserted: entries.length, updated: 0, unchanged: 0 });
    const rows = () => new Database(file, { readonly: true }).prepare('select * from questions order by id').all();
    const before = rows();
    expect(await store.loadBank(entries, new Date(Date.now() + 60_000))).toEqual({ inserted: 0, updated: 0, unchanged: entries.length });
    expect(rows()).toEqual(before);
    await store.close();
  });

  it('updates the row of an entry whose text changed, keeping its id', async () => {
    const file = tempFile();
    const store = new SqliteStore(file, entries);
    const changed = entries.map((e) => (e.id === 'amazon-31' ? { ...e, prompt: 'Edited prompt?' } : e));
    expect(await store.loadBank(changed, new Date())).toEqual({ inserted: 0, updated: 1, unchanged: entries.length - 1 });
    expect(await store.questionCount()).toBe(entries.length);
    await store.close();
    const row = new Database(file, { readonly: true }).prepare("select prompt from questions where id = 'amazon-31'").get() as {
      prompt: string;
    };
    expect(row.prompt).toBe('Edited prompt?');
  });

  it('opens SQLite with WAL, foreign keys, a busy timeout and secure delete', async () => {
    const file = tempFile();
    await new SqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // Per-connection settings are checked on the store's own connection through what they do: see the multi-process tests.
    expect(db.prepare("select count(*) as n from sqlite_master where name = 'rate_limits'").get()).toEqual({ n: 1 });
  });
});
