import { stemmer } from 'stemmer';
import { type Rewriter, rewrite, rewriter, vocabulary } from './vocabulary.js';

/**
 * Text analysis for the offline grader: tokens, stems, stop words, the vocabulary's tokens and
 * sentence spans. Everything here is deterministic and works on plain strings.
 */

/** Words that carry no answer content, but show that the writer is forming sentences. */
export const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each etc
few for from further get gets got had hadn't has hasn't have haven't having he her here hers herself him himself
his how however i i'd i'll i'm i've if in into is isn't it it's its itself just let's like make makes many may me
might more most much must mustn't my myself no nor not now of off on once one only or other ought our ours
ourselves out over own per really same shall she should shouldn't so some such than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've thing things this those through to
too under until up upon us use used uses using very via was wasn't we we'd we'll we're we've well were weren't
what what's when when's where where's which while who who's whom why why's will with within without won't would
wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves e.g i.e eg ie across ones along among around onto toward towards
whether either neither else ever every something anything everything etc`.split(/\s+/),
);

/** The vocabulary as one rewriting expression, built on first use. */
let vocab: Rewriter | undefined;

/**
 * Memoizes a function of one string. Grading reads the same texts many times over (the reference
 * answer of a question for every answer to it, the answer once per criterion): each is analysed
 * once. The cache is bounded, oldest out first. Results are shared: callers must not mutate them.
 */
export function memoize<T>(fn: (text: string) => T, size = 1000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string) => {
    let v = cache.get(text);
    if (v === undefined) {
      v = fn(text);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(text, v);
    }
    return v;
  };
}

/** Lower-cased words, each phrase of the vocabulary (vocabulary.yaml) replaced by its token. */
export const words = memoize(wordsOf);
function wordsOf(text: string): string[] {
  const lower = text.toLowerCase().replace(/[’‘]/g, "'");
  const aliased = rewrite(lower, (vocab ??= rewriter(vocabulary())));
  return aliased.match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
}

const stemCache = new Map<string, string>();
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /\d/.test(word) || word.length <= 3 ? word : stemmer(word);
    if (stemCache.size < 50000) stemCache.set(word, s);
  }
  return s;
}

/** Stems of the content words (stop words removed). */
export const contentStems = memoize(contentStemsOf);
function contentStemsOf(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w))
    .map(stem);
}

export interface Span {
  text: string;
  start: number;
  end: number;
}

/**
 * Sentence spans of the original text (list items and lines count as sentences), so evidence
 * quotes are always exact substrings of what the candidate wrote.
 */
export const sentences = memoize(sentencesOf);
function sentencesOf(text: string): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    for (const seg of SEGMENTER.segment(line)) {
      const raw = seg.segment;
      const body = raw.trimStart().replace(/^[-*•]\s+/, '');
      const trimmed = body.trimEnd();
      if (trimmed.length < 2) continue;
      const start = offset + seg.index + (raw.length - body.length);
      spans.push({ text: trimmed, start, end: start + trimmed.length });
    }
    offset += line.length + 1;
  }
  return spans;
}

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Removes Markdown code fences, list markers and emphasis, keeping the words. */
export const plainText = memoize(plainTextOf);
function plainTextOf(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/^\s*[-*•]\s+/gm, '')
    .replace(/[*_#>]+/g, ' ');
}

export function shorten(text: string, max = 140): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
