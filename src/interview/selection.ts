import { type BankEntry, CATEGORIES, type Category } from '../bank/schema.js';
import { AppError } from '../errors.js';
import { rng, shuffled } from './random.js';
import { DEFAULT_MIX, type Mix } from './schemas.js';
import { type Preference, preferenceFor } from '../tailor/questions.js';

/** Time box per question, by category (seconds). */
export const TIME_BOX: Record<Category, number> = {
  company: 5 * 60,
  behavioral: 5 * 60,
  technical: 5 * 60,
  coding: 40 * 60,
  system_design: 20 * 60,
};

export interface SelectionRequest {
  bank: readonly BankEntry[];
  mix?: Mix;
  questionIds?: string[];
  topics?: string[];
  seed: string;
  /** Questions from recent sessions: picked only when nothing else fits. */
  recent?: Set<string>;
  /** What the job stresses (tailoring): questions on its topics and principles first, after the requested topics. */
  prefer?: Preference;
  /** Questions made from the résumé: asked after the behavioural ones. */
  extra?: BankEntry[];
}

/**
 * Picks the questions of a loop. Explicit ids are asked in the given order. Otherwise, per
 * category of the mix: questions on the requested topics first, then questions the candidate has
 * not seen recently, each group in a seeded random order; never the same question twice.
 */
export function selectQuestions(req: SelectionRequest): BankEntry[] {
  const byId = new Map(req.bank.map((e) => [e.id, e]));
  if (req.questionIds?.length) {
    const seen = new Set<string>();
    const chosen = req.questionIds.map((id) => {
      if (seen.has(id)) throw new AppError('bad_request', `questionIds lists "${id}" twice: a question is asked once per session`);
      seen.add(id);
      const q = byId.get(id);
      if (!q) throw new AppError('bad_request', `questionIds: no question with id "${id}"`);
      return q;
    });
    return [...chosen, ...(req.extra ?? [])];
  }
  const mix = req.mix ?? DEFAULT_MIX;
  const random = rng(req.seed);
  const topics = new Set(req.topics ?? []);
  const recent = req.recent ?? new Set<string>();
  const picked: BankEntry[] = [];
  for (const category of CATEGORIES) {
    const want = mix[category] ?? 0;
    if (want <= 0) continue;
    const pool = shuffled(
      req.bank.filter((e) => e.category === category),
      random,
    );
    if (pool.length < want) {
      throw new AppError('bad_request', `mix asks for ${want} ${category} questions; the bank has ${pool.length}`);
    }
    const rank = (e: BankEntry) => (topics.size && !e.topics.some((t) => topics.has(t)) ? 2 : 0) + (recent.has(e.id) ? 1 : 0);
    const prefer = (e: BankEntry) => Math.round(preferenceFor(req.prefer, e) * 4) / 4;
    const ordered = pool.map((e, i) => ({ e, i, r: rank(e), p: prefer(e) })).sort((a, b) => a.r - b.r || b.p - a.p || a.i - b.i);
    picked.push(...ordered.slice(0, want).map((x) => x.e));
    if (category === 'behavioral') picked.push(...(req.extra ?? []));
  }
  // A mix without behavioural questions still asks about the résumé: after the company ones.
  if (req.extra?.length && !picked.includes(req.extra[0]!))
    picked.splice(picked.filter((e) => e.category === 'company').length, 0, ...req.extra);
  if (picked.length === 0) throw new AppError('bad_request', 'mix asks for no questions: give at least one category a count above 0');
  if (topics.size && !picked.some((e) => e.topics.some((t) => topics.has(t)))) {
    throw new AppError('bad_request', `No question in the requested categories covers the topics ${[...topics].join(', ')}`);
  }
  return picked;
}
