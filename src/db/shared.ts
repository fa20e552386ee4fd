import { createHash, randomUUID } from 'node:crypto';
import type { BankEntry } from '../bank/schema.js';
import type { Usage } from '../llm/usage.js';
import type { NewGrade } from './areas/grades.js';
import type { NewMessage } from './areas/messages.js';
import type { SessionStats } from './areas/read-models.js';
import type { ClaimRequest, NewIdempotencyKey } from './areas/sessions.js';
import type { QuestionRow, Totals } from './rows.js';

/**
 * What both stores share: how a bank entry, a message, a grade and an idempotency key are stored,
 * how stored figures are read back, and the snapshot cache. The queries stay in each dialect.
 */

export const hashOf = (e: BankEntry) => createHash('sha256').update(JSON.stringify(e)).digest('hex');

/** A bank entry as a row of the questions table. */
export function bankRow(e: BankEntry, contentHash: string, at: Date): QuestionRow {
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

/** Usage as stored: null columns when the model reported none. */
export const tokenColumns = (usage: Usage | undefined) => ({
  promptTokens: usage?.promptTokens ?? null,
  completionTokens: usage?.completionTokens ?? null,
});

/** A message as the values of its row (the id is the database's). */
export const messageValues = (m: NewMessage) => ({
  sessionId: m.sessionId,
  sessionQuestionId: m.sessionQuestionId,
  role: m.role,
  kind: m.kind,
  content: m.content,
  ...tokenColumns(m.usage),
  createdAt: m.at.toISOString(),
});

/** A grade as the values of its row: the score is a column of its own, for the read models' averages. */
export const gradeValues = (g: NewGrade) => ({
  sessionId: g.sessionId,
  sessionQuestionId: g.sessionQuestionId,
  score: g.grade.score,
  grade: g.grade,
  ...tokenColumns(g.usage),
  createdAt: g.at.toISOString(),
});

/** An idempotency key as the values of its row; saved again, only its state and result change. */
export const idempotencyValues = (row: NewIdempotencyKey) => ({
  sessionId: row.sessionId,
  key: row.key,
  fingerprint: row.fingerprint,
  state: row.state,
  result: row.result ?? null,
  createdAt: row.at.toISOString(),
});

/** Kept audio, typed (a recording without audio has none to play). */
/** The request a claim is for, as the claim statements' placeholders (`claimOf`). */
export const claimRequestValues = (request: ClaimRequest | undefined) => ({
  requestId: request?.id ?? null,
  traceParent: request?.traceParent ?? null,
});

export const audioOf = (row: { audio: Buffer | null; audioType: string | null } | undefined) =>
  row?.audio ? { audio: row.audio, audioType: row.audioType ?? 'application/octet-stream' } : undefined;

/** A month's usage: nothing used yet when there is no row. */
export const usageOf = (row: { promptTokens: number; completionTokens: number } | undefined) => ({
  promptTokens: row?.promptTokens ?? 0,
  completionTokens: row?.completionTokens ?? 0,
});

/** How many of `tokens` a reservation holds: as many as remain of the budget (0 or less: none). */
export const toHold = (tokens: number, budget: number, used: { promptTokens: number; completionTokens: number }) =>
  Math.min(tokens, budget - used.promptTokens - used.completionTokens);

/** A rate-limit hit's times: `fresh` ends the window a hit at `at` would open, which starts at `start` hits. */
export const hitWindow = (now: Date, windowMs: number, by: number) => ({
  at: now.toISOString(),
  fresh: new Date(now.getTime() + windowMs).toISOString(),
  start: Math.max(0, by),
});

/** The named entries of `record`. */
export function pick<T extends Record<string, unknown>, K extends keyof T>(record: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, record[k]])) as Pick<T, K>;
}

/**
 * Adds what a turn stored to the running totals of its session's row, as the databases' triggers
 * add them to the stored row (SQLite migration 0010, PostgreSQL 0006): a grade's score and
 * tokens, a message's tokens, a question skipped. A turn keeps the row it claimed in step with
 * its own writes this way and reads no totals back: while its claim holds, nothing else writes
 * what they count.
 */
export function addToTotals(
  row: Totals,
  stored: { grade: NewGrade } | { message: { promptTokens: number | null; completionTokens: number | null } } | { skipped: true },
): void {
  if ('skipped' in stored) row.skippedCount++;
  const grade = 'grade' in stored ? stored.grade : undefined;
  if (grade) {
    row.gradedCount++;
    row.scoreSum += grade.grade.score;
  }
  const tokens = 'message' in stored ? stored.message : grade && tokenColumns(grade.usage);
  row.promptTokens += tokens?.promptTokens ?? 0;
  row.completionTokens += tokens?.completionTokens ?? 0;
}

/** A session's figures from the running totals its row keeps. */
export function totalsOf(row: Totals): SessionStats {
  return {
    questions: Number(row.questionCount),
    skipped: Number(row.skippedCount),
    graded: Number(row.gradedCount),
    score: row.gradedCount > 0 ? Math.round((Number(row.scoreSum) / Number(row.gradedCount)) * 10) / 10 : null,
    promptTokens: Number(row.promptTokens),
    completionTokens: Number(row.completionTokens),
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

  /**
   * The snapshots of several questions, in their order: the ones not cached read at once by
   * `read`, which gives [id, stored JSON text or null] for each id it is given.
   */
  async getMany(
    sessionQuestionIds: number[],
    read: (missing: number[]) => Iterable<[number, string | null]> | Promise<Iterable<[number, string | null]>>,
  ): Promise<(BankEntry | null)[]> {
    // What is cached is taken now: reads of other requests may push it out while this one's runs.
    const snaps = sessionQuestionIds.map((id) => this.byId.get(id));
    const missing = [...new Set(sessionQuestionIds.filter((_, i) => snaps[i] === undefined))];
    if (missing.length > 0) {
      const found = new Map<number, BankEntry | null>();
      for (const [id, stored] of await read(missing)) {
        const snap = stored === null ? null : this.intern(stored);
        found.set(id, snap);
        bounded(this.byId, 5000);
        this.byId.set(id, snap);
      }
      sessionQuestionIds.forEach((id, i) => (snaps[i] ??= found.get(id)));
    }
    return snaps.map((snap) => snap ?? null);
  }

  /** Keeps a snapshot read along with something else (a turn's claim), so `get` need not read it. */
  remember(sessionQuestionId: number, stored: string) {
    if (this.byId.has(sessionQuestionId)) return;
    bounded(this.byId, 5000);
    this.byId.set(sessionQuestionId, this.intern(stored));
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
