import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { RubricError } from '../errors.js';

/**
 * The offline grader's vocabulary (`vocabulary.yaml`): the phrases and patterns that say one thing,
 * each rewritten into one token before words are compared, in the reference and the answer alike.
 * Read once, on first use, and checked: a broken entry stops grading with the entry's name.
 */

export const VOCABULARY_FILE = fileURLToPath(new URL('./vocabulary.yaml', import.meta.url));

export const FAMILIES = ['acronyms', 'services', 'mechanisms', 'behaviours'] as const;
export type Family = (typeof FAMILIES)[number];
/** Families whose phrases describe a thing in words worth keeping: the token is added, the words stay. */
const KEEPS_WORDS: ReadonlySet<Family> = new Set(['mechanisms', 'behaviours']);

const Entry = z
  .object({
    token: z.string().regex(/^[a-z][a-z0-9]*$/, 'must be one lower-case word of letters and digits'),
    phrases: z.array(z.string().min(2)).default([]),
    patterns: z.array(z.string().min(2)).default([]),
    /** Whether a phrase keeps its words and gains the token (the family's default when absent). */
    keep: z.boolean().optional(),
    /** A term of the field: counts for more in a key point (acronyms and services always are). */
    term: z.boolean().optional(),
  })
  .strict()
  .refine((e) => e.phrases.length + e.patterns.length > 0, 'needs at least one phrase or pattern');
export type VocabularyEntry = z.infer<typeof Entry>;

const File = z.object(Object.fromEntries(FAMILIES.map((f) => [f, z.array(Entry)])) as Record<Family, z.ZodArray<typeof Entry>>).strict();
export type Vocabulary = Record<Family, VocabularyEntry[]>;

/** A phrase as a pattern: whole words, any run of spaces or hyphens between them. */
export function phrasePattern(phrase: string): string {
  return phrase
    .toLowerCase()
    .trim()
    .split(/[\s-]+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[\\s-]+');
}

/** Reads and checks a vocabulary file: every pattern compiles and captures nothing. */
export function parseVocabulary(text: string, file = VOCABULARY_FILE): Vocabulary {
  const parsed = File.safeParse(parseYaml(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RubricError(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  for (const family of FAMILIES) {
    for (const e of parsed.data[family]) {
      for (const p of e.patterns) {
        let groups: number;
        try {
          groups = new RegExp(`${p}|`).exec('')!.length - 1;
        } catch (err) {
          throw new RubricError(`${file}: ${family}.${e.token}: the pattern /${p}/ does not compile (${(err as Error).message})`);
        }
        if (groups > 0) throw new RubricError(`${file}: ${family}.${e.token}: the pattern /${p}/ captures; use (?:…) groups`);
      }
    }
  }
  return parsed.data;
}

let loaded: Vocabulary | undefined;
export function vocabulary(): Vocabulary {
  return (loaded ??= parseVocabulary(readFileSync(VOCABULARY_FILE, 'utf8')));
}

/** One expression for every phrase and pattern, and what each alternative stands for. */
export interface Rewriter {
  re: RegExp;
  alternatives: Array<{ token: string; keep: boolean; pattern: boolean }>;
}

/**
 * Longer phrases first (so "fault injection simulator" is not read as "fault injection"), then
 * the patterns in file order; each alternative is one capturing group, which tells its token.
 */
export function rewriter(vocab: Vocabulary): Rewriter {
  const entries = FAMILIES.flatMap((family) => vocab[family].map((e) => ({ ...e, keep: e.keep ?? KEEPS_WORDS.has(family) })));
  const literal = entries
    .flatMap((e) =>
      [e.token, ...e.phrases].map((p) => ({ source: phrasePattern(p), length: p.length, token: e.token, keep: e.keep, pattern: false })),
    )
    .sort((a, b) => b.length - a.length);
  const patterns = entries.flatMap((e) => e.patterns.map((p) => ({ source: p, token: e.token, keep: true, pattern: true })));
  const alternatives = [...literal, ...patterns];
  return {
    re: new RegExp(`(?<![a-z0-9])(?:${alternatives.map((a) => `(${a.source})`).join('|')})(?![a-z0-9])`, 'g'),
    alternatives: alternatives.map(({ token, keep, pattern }) => ({ token, keep, pattern })),
  };
}

/**
 * What a pattern adds besides the token: the token with this ending, "idempotentexplained". The
 * question names a concept ("What are idempotent operations?") and an answer that only repeats
 * the name earns little; one that says what it is in words earns this token too, which the
 * question never has.
 */
export const EXPLAINED = 'explained';

/**
 * Rewrites lower-cased text. An acronym's expansion or a service's other name is the same word
 * and becomes the token. A mechanism or behaviour described in words (a pattern, or a phrase of
 * those families) keeps its words and gains the token after them, so a reference that spells
 * the same thing out differently still shares those words ("eventual consistency" keeps
 * "consistency").
 */
export function rewrite(text: string, r: Rewriter): string {
  return text.replace(r.re, (...args: unknown[]) => {
    // args: the match, then one group per alternative
    for (let i = 1; i <= r.alternatives.length; i++) {
      if (args[i] === undefined) continue;
      const { token, keep, pattern } = r.alternatives[i - 1]!;
      if (pattern) return `${args[0] as string} ${token} ${token}${EXPLAINED} `;
      return keep ? `${args[0] as string} ${token} ` : ` ${token} `;
    }
    return args[0] as string;
  });
}

/**
 * Acronyms a text defines itself, "AWS Fault Injection Simulator (FIS)" or "change data capture
 * (CDC)": the long form, whose initials spell the acronym (small words and a leading AWS or
 * Amazon may be skipped), and the acronym.
 */
export function definedAcronyms(text: string): Array<{ long: string; short: string }> {
  const out: Array<{ long: string; short: string }> = [];
  const SMALL = new Set(['and', 'of', 'for', 'the', 'to', 'in', 'on', 'a', '&']);
  for (const m of text.matchAll(/((?:[A-Za-z][\w-]*[\s/]+){1,8})\(\s*([A-Z][A-Za-z0-9]{1,7})s?\s*\)/g)) {
    const short = m[2]!;
    const letters = short.toLowerCase().replace(/[^a-z]/g, '');
    const words = m[1]!.trim().split(/[\s/]+/);
    // The shortest run of words before the parenthesis whose initials (with hyphenated parts) spell the acronym.
    for (let start = words.length - 1; start >= 0; start--) {
      const run = words.slice(start);
      const initials = run
        .filter((w) => !SMALL.has(w.toLowerCase()))
        .flatMap((w) => w.split('-'))
        .map((w) => w[0]!.toLowerCase())
        .join('');
      if (initials === letters && run.length > 1) {
        out.push({ long: run.join(' '), short: short.toLowerCase() });
        break;
      }
      if (initials.length > letters.length) break;
    }
  }
  return out;
}

/** The families whose tokens are names (FIS, SQS), terms of the field whatever their entry says. */
const NAMES: ReadonlySet<Family> = new Set(['acronyms', 'services']);

/**
 * The tokens that are terms of the field: every acronym and service, the mechanisms marked `term`,
 * and every concept explained in words (a pattern's `…explained` token).
 */
export function termTokens(vocab: Vocabulary): string[] {
  const all = FAMILIES.flatMap((f) => vocab[f]);
  return [
    ...FAMILIES.flatMap((f) => vocab[f].filter((e) => NAMES.has(f) || e.term).map((e) => e.token)),
    ...all.filter((e) => e.patterns.length).map((e) => `${e.token}${EXPLAINED}`),
  ];
}
