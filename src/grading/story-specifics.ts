import { AWS_SERVICES } from './offline/lexicon.js';
import { contentStems, memoize, STOP_WORDS, stem } from './text.js';
import { isStoryCommon } from './story-words.js';
import { EXPLAINED, vocabulary } from './vocabulary.js';

/**
 * The specifics of one story, read from the candidate's text for the story-reuse detector: the
 * quantities it gives, the names it uses, its content words (stemmed, through the grader's
 * vocabulary) and its two-word phrases. Each keeps the words as the candidate wrote them.
 */

export interface Quantity {
  /** The value, with "k", "million" and number words read: "$2.1M" and "2.1 million dollars" are both 2100000. */
  value: number;
  /** "%", "$", a unit of time or size, or the stem of the noun counted ("n:merchant"); "" when none. */
  unit: string;
  /** How much it says about one story: a small count (2 teams, 3 weeks) says little. */
  weight: number;
  text: string;
}

export interface StorySpecifics {
  quantities: Quantity[];
  /** Lower-cased names (capitalised words, acronyms, named services) with their written form. */
  names: Map<string, string>;
  /** Capitalised words opening a sentence ("Marcus from finance ops..."): a name when the other answer uses it as one. */
  openers: Map<string, string>;
  /** Content stems. */
  stems: Set<string>;
  /** Adjacent content stems ("pick task", "partit key") with the words as written. */
  phrases: Map<string, string>;
  /** How many words the answer has. */
  length: number;
}

const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  [
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty',
    '',
  ][0]!
    .split(' ')
    .map((w, i) => [w, i])
    .concat(['thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].map((w, i) => [w, 30 + 10 * i])),
);
const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 };
const UNITS: Record<string, string> = {
  '%': '%',
  percent: '%',
  pct: '%',
  $: '$',
  dollar: '$',
  dollars: '$',
  usd: '$',
  ms: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  min: 'min',
  mins: 'min',
  minute: 'min',
  minutes: 'min',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
  x: 'x',
  am: 'am',
  pm: 'pm',
  point: 'pt',
  points: 'pt',
  gb: 'gb',
  mb: 'mb',
  tb: 'tb',
};

const NUMBER_WORD = Object.keys(NUMBER_WORDS).join('|');
/** A number in digits or words, an optional multiplier and an optional unit or counted noun. */
const QUANTITY = new RegExp(
  `(\\$\\s?)?(?:(\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?)|\\b((?:${NUMBER_WORD})(?:[\\s-](?:${NUMBER_WORD}))?(?:\\s(?:hundred|thousand))?)\\b)` +
    `(?:\\s?-?(k|m|mm|bn|b|thousand|million|billion)\\b)?(?:\\s?-?(%|per ?cent\\b|[a-z]+))?`,
  'gi',
);

function wordsValue(text: string): number {
  let value = 0;
  for (const w of text.toLowerCase().split(/[\s-]+/)) {
    if (w === 'hundred') value *= 100;
    else if (w === 'thousand') value *= 1000;
    else value += NUMBER_WORDS[w] ?? 0;
  }
  return value;
}

/** How much a value says about one story: round small counts are in every story, 1,140 or 99.6% is not. */
function weightOf(value: number, unit: string): number {
  if (value <= 1) return 0;
  if (Number.isInteger(value) && value <= 10) return unit === '%' || unit === '$' ? 0.5 : 0.25;
  if (value >= 1900 && value <= 2100 && Number.isInteger(value)) return 0.5;
  return 1;
}

function quantitiesOf(text: string): Quantity[] {
  const found: Quantity[] = [];
  for (const m of text.matchAll(QUANTITY)) {
    const [whole, dollar, digits, inWords, multiplier, after] = m;
    if (digits && /\w/.test(text[m.index - 1] ?? '')) continue; // p99, iOS15, 3-D
    let value = digits ? Number(digits.replace(/,/g, '')) : wordsValue(inWords!);
    if (Number.isNaN(value)) continue;
    if (multiplier) value *= MULTIPLIERS[multiplier.toLowerCase()]!;
    const next = after?.toLowerCase().replace(/\s/g, '') ?? '';
    const named = UNITS[next] ?? (next && !STOP_WORDS.has(next) && next.length > 1 ? `n:${stem(next)}` : '');
    const unit = dollar ? (UNITS[next] === '%' ? '%' : '$') : named;
    if (inWords && !named && !multiplier) continue; // "one", "two" on their own are not figures
    const written = named || !after ? whole : whole.slice(0, whole.length - after.length);
    value = Math.round(value * 1000) / 1000;
    found.push({ value, unit, weight: weightOf(value, unit), text: written.trim().replace(/[\s-]+$/, '') });
  }
  return found;
}

/**
 * Names: runs of capitalised words ("Black Friday", "São Paulo") not opening a sentence, words
 * with inner capitals or digits ("PostgreSQL", "iPhone"), and named services, even in lower case.
 */
function namesOf(text: string): { names: Map<string, string>; openers: Map<string, string> } {
  const names = new Map<string, string>();
  const openers = new Map<string, string>();
  const add = (run: string[]) => {
    if (run.length && !names.has(run.join(' ').toLowerCase())) names.set(run.join(' ').toLowerCase(), run.join(' '));
    run.length = 0;
  };
  const run: string[] = [];
  let end = 0;
  for (const m of text.matchAll(/[A-Za-zÀ-ÿ][\wÀ-ÿ]*(?:[-/][\wÀ-ÿ]+)*/g)) {
    const w = m[0];
    const between = text.slice(end, m.index);
    end = m.index + w.length;
    if (!/^\s+$/.test(between)) add(run);
    const before = text.slice(0, m.index).trimEnd();
    const opensSentence = before === '' || /[.!?:;"']$/.test(before);
    const shaped = /[A-Z]/.test(w.slice(1)) || /\d/.test(w);
    const key = w.toLowerCase();
    const isName =
      (/^[A-ZÀ-Þ]/.test(w) || shaped) &&
      !(opensSentence && !shaped) &&
      !/\d/.test(text[m.index - 1] ?? '') && // the "K" of "$380K"
      !STOP_WORDS.has(key) &&
      !(key in UNITS) &&
      !(key in MULTIPLIERS);
    if (isName) run.push(w);
    else add(run);
    if (opensSentence && !shaped && /^[A-ZÀ-Þ]/.test(w) && !STOP_WORDS.has(key)) openers.set(key, w);
  }
  add(run);
  for (const m of text.matchAll(AWS_SERVICES)) {
    const key = m[0].toLowerCase().replace(/\s+/g, ' ');
    if (!names.has(key)) names.set(key, m[0]);
  }
  return { names, openers };
}

/** Adjacent content words of the text as written, stemmed, with the words between them. */
function phrasesOf(text: string): Map<string, string> {
  const phrases = new Map<string, string>();
  let prev: { stem: string; start: number } | undefined;
  let gap = 0;
  for (const m of text.matchAll(/[A-Za-zÀ-ÿ][\wÀ-ÿ']*|[.,;:!?()]/g)) {
    const w = m[0].toLowerCase();
    if (!/\w/.test(w[0]!) || /\d/.test(text[m.index - 1] ?? '') || (STOP_WORDS.has(w) && ++gap > 1)) {
      prev = undefined;
      continue;
    }
    if (STOP_WORDS.has(w)) continue;
    if (w in NUMBER_WORDS || w === 'hundred' || w === 'thousand') {
      prev = undefined; // figures are compared as quantities
      continue;
    }
    const s = stem(w);
    if (prev && !(isStoryCommon(prev.stem) && isStoryCommon(s))) {
      const key = `${prev.stem} ${s}`;
      if (!phrases.has(key)) phrases.set(key, text.slice(prev.start, m.index + m[0].length));
    }
    prev = { stem: s, start: m.index };
    gap = 0;
  }
  return phrases;
}

let tags: Set<string> | undefined;
/**
 * The vocabulary's tags, stemmed: the behaviours family's tokens ("shippressure") and every
 * pattern's "…explained" token. They mark what an interviewer listens for, which any two STAR
 * answers share, and repeat words the answer already has: not a story's content.
 */
function isTag(stemmed: string): boolean {
  if (!tags) {
    const v = vocabulary();
    const all = [...v.acronyms, ...v.services, ...v.mechanisms, ...v.behaviours];
    tags = new Set([...v.behaviours.map((e) => e.token), ...all.map((e) => `${e.token}${EXPLAINED}`)].map((w) => stem(w)));
  }
  return tags.has(stemmed);
}

/** The specifics of one answer, read once. */
export const storySpecifics = memoize(
  (text: string): StorySpecifics => ({
    quantities: quantitiesOf(text),
    ...namesOf(text),
    stems: new Set(contentStems(text).filter((s) => !isTag(s))),
    phrases: phrasesOf(text),
    length: text.split(/\s+/).filter(Boolean).length,
  }),
  200,
);
