import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { type BankEntry, LEADERSHIP_PRINCIPLES, type LeadershipPrinciple, type Topic, TOPICS } from '../bank/schema.js';
import { BankError } from '../errors.js';
import { STOP_WORDS, stem, words } from '../grading/text.js';
import { readResume } from './resume.js';
import type { TailorInput, Tailoring } from './schema.js';

/**
 * The offline tailoring: our own code reads the job description and the résumé. The job's words
 * are matched, stemmed as the grader stems them, against the phrases of keywords.yaml for each
 * principle and topic and against the words only one principle's signals use in the bank; each
 * principle and topic is weighted by how often the job uses them. The résumé's items come from
 * its Experience and Projects sections (resume.ts). What matched is kept, to show.
 */

const KEYWORDS_FILE = fileURLToPath(new URL('./keywords.yaml', import.meta.url));

const Keywords = z
  .object({
    principles: z.record(z.enum(LEADERSHIP_PRINCIPLES), z.array(z.string().min(1)).min(1)),
    topics: z.record(z.enum(TOPICS), z.array(z.string().min(1)).min(1)),
  })
  .strict();

let keywords: z.infer<typeof Keywords> | undefined;
/** keywords.yaml, read and checked once: a broken file stops start-up naming the field. */
export function tailorKeywords() {
  if (keywords) return keywords;
  const parsed = Keywords.safeParse(parseYaml(readFileSync(KEYWORDS_FILE, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BankError(`${KEYWORDS_FILE}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return (keywords = parsed.data);
}

/** A signal's word counts for this much of a keyword's. */
const SIGNAL_WEIGHT = 0.5;
/** A principle's signals add at most this much. */
const SIGNAL_CAP = 2;
/** The most principles and topics kept: what a loop can follow. */
const KEEP = 6;

interface Token {
  word: string;
  stem: string;
}

const tokens = (text: string): Token[] => words(text).flatMap((w) => (STOP_WORDS.has(w) ? [] : [{ word: w, stem: stem(w) }]));

/** How often a phrase (as stems) occurs in the text's tokens. */
function occurrences(text: Token[], phrase: string[]): number {
  if (!phrase.length) return 0;
  let n = 0;
  for (let i = 0; i + phrase.length <= text.length; i++) if (phrase.every((s, k) => text[i + k]!.stem === s)) n++;
  return n;
}

interface Count {
  score: number;
  matched: string[];
}

function countPhrases(job: Token[], phrases: readonly string[]): Count {
  const c: Count = { score: 0, matched: [] };
  const seen = new Set<string>();
  for (const phrase of phrases) {
    // "end to end" and "end-to-end" are one phrase, counted once.
    const stems = tokens(phrase).map((t) => t.stem);
    if (seen.has(stems.join(' '))) continue;
    seen.add(stems.join(' '));
    const n = occurrences(job, stems);
    if (n) {
      c.score += n;
      c.matched.push(phrase);
    }
  }
  return c;
}

/** Stems used by the signals of one principle only (in the bank's Leadership Principles questions): that principle's own words. */
function signalStems(bank: readonly BankEntry[]): Map<LeadershipPrinciple, Set<string>> {
  const owners = new Map<string, Set<LeadershipPrinciple>>();
  for (const e of bank) {
    if (e.leadershipPrinciples.length !== 1) continue;
    for (const s of e.signals)
      for (const t of tokens(s))
        if (t.stem.length >= 5) owners.set(t.stem, new Set([...(owners.get(t.stem) ?? []), e.leadershipPrinciples[0]!]));
  }
  const own = new Map<LeadershipPrinciple, Set<string>>();
  for (const [s, ps] of owners) if (ps.size === 1) for (const p of ps) own.set(p, new Set([...(own.get(p) ?? []), s]));
  return own;
}

function weighted<T extends string>(counts: Array<[T, Count]>) {
  const kept = counts.filter(([, c]) => c.score > 0).sort((a, b) => b[1].score - a[1].score);
  const top = kept[0]?.[1].score ?? 1;
  return kept.slice(0, KEEP).map(([id, c]) => ({ id, weight: Math.round((c.score / top) * 100) / 100, matched: c.matched.slice(0, 8) }));
}

/** The principles and topics a job description stresses, with the words that showed each. */
export function readJob(jobDescription: string, bank: readonly BankEntry[]): Pick<Tailoring, 'principles' | 'topics'> {
  const job = tokens(jobDescription);
  if (!job.length) return { principles: [], topics: [] };
  const { principles, topics } = tailorKeywords();
  const own = signalStems(bank);
  const principleCounts = LEADERSHIP_PRINCIPLES.map((p): [LeadershipPrinciple, Count] => {
    const c = countPhrases(job, principles[p] ?? []);
    const signal = job.filter((t) => own.get(p)?.has(t.stem));
    const words = [...new Set(signal.map((t) => t.word))];
    c.score += Math.min(SIGNAL_CAP, SIGNAL_WEIGHT * signal.length);
    c.matched.push(...words.filter((w) => !c.matched.includes(w)).map((w) => `${w} (signal)`));
    return [p, c];
  });
  const topicCounts = TOPICS.map((t): [Topic, Count] => [t, countPhrases(job, topics[t] ?? [])]);
  return { principles: weighted(principleCounts), topics: weighted(topicCounts) };
}

/** The offline tailoring of a job description and a résumé. */
export function tailorOffline(input: TailorInput, bank: readonly BankEntry[]): Tailoring {
  return {
    source: 'offline',
    ...readJob(input.jobDescription ?? '', bank),
    resumeItems: readResume(input.resume ?? ''),
  };
}
