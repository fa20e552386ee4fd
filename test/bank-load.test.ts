import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadBank, readBankDir } from '../src/bank/load.js';
import { openDatabase } from '../src/db/client.js';
import { questions } from '../src/db/schema.js';

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

  it('is idempotent: loading twice changes nothing', () => {
    const db = openDatabase(':memory:');
    expect(loadBank(db, entries)).toEqual({ inserted: entries.length, updated: 0, unchanged: 0 });
    const before = db.select().from(questions).all();
    expect(loadBank(db, entries, new Date(Date.now() + 60_000))).toEqual({ inserted: 0, updated: 0, unchanged: entries.length });
    expect(db.select().from(questions).all()).toEqual(before);
  });

  it('updates the row of an entry whose text changed, keeping its id', () => {
    const db = openDatabase(':memory:');
    loadBank(db, entries);
    const changed = entries.map((e) => (e.id === 'amazon-31' ? { ...e, prompt: 'Edited prompt?' } : e));
    expect(loadBank(db, changed)).toEqual({ inserted: 0, updated: 1, unchanged: entries.length - 1 });
    expect(db.select({ n: count() }).from(questions).get()!.n).toBe(entries.length);
    const row = db.$client.prepare("select prompt from questions where id = 'amazon-31'").get() as { prompt: string };
    expect(row.prompt).toBe('Edited prompt?');
  });

  it('opens the database with WAL, foreign keys and a busy timeout', () => {
    const db = openDatabase(':memory:');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
