import { claims, claimText } from './reference.js';
import { contentStems, memoize, plainText, STOP_WORDS, type Span, sentences, shorten, stem, words } from './text.js';
import { definedAcronyms, EXPLAINED, phrasePattern, termTokens, vocabulary } from './vocabulary.js';

/**
 * Answer analysis: how much of the reference answer (or, for the Leadership Principles pack, of
 * the question's signals) an answer covers, whether it contradicts the reference, and whether it
 * is a bag of keywords rather than sentences.
 */

export interface KeyPoint {
  text: string;
  stems: string[];
}

export interface PointCoverage extends KeyPoint {
  coverage: number;
  covered: boolean;
}

/** Question words still count, but less: repeating the question is not knowing the answer. */
export const QUESTION_WORD_WEIGHT = 0.35;

/**
 * A term of the field (an acronym, a service or a marked mechanism of the vocabulary: "fis", "sqs",
 * "backoff"; not a plain word such as "trace") says more about a
 * point than any other word of it: naming Fault Injection Simulator is most of "Amazon implements
 * chaos engineering through AWS Fault Injection Simulator (FIS), which allows developers…".
 */
const TERM_WEIGHT = 2;
/** A concept explained in words ("the same result however many times it runs") on both sides is most of a point that defines it. */
const EXPLAINED_WEIGHT = 3;
const EXPLAINED_STEM = stem(EXPLAINED);
let terms: Set<string> | undefined;
const isTerm = (x: string) => (terms ??= new Set(termTokens(vocabulary()).map(stem))).has(x);

/**
 * A long key point ("Amazon implements chaos engineering through AWS Fault Injection Simulator
 * (FIS), which allows developers and operators to safely inject failures such as latency, dropped
 * connections, CPU spikes and instance terminations…") is covered by its substance, not by every
 * example it lists: beyond 8 words' worth, each further word counts for 40 % towards covering it.
 */
const saturated = (total: number) => (total <= 8 ? total : 8 + 0.4 * (total - 8));

/** Reference sizes, in distinct content words, between which a complete answer goes from all of it to 60 %. */
const SHORT_REFERENCE = 12;
const LONG_REFERENCE = 40;

/** Key points of a reference answer: its sentences and list items with enough content. */
export function keyPoints(reference: string, signals: string[] = []): KeyPoint[] {
  return [...referencePoints(reference), ...signals.map(signalPoint)];
}

/**
 * A claim with fewer than two content words is too slight to be a point of its own, unless it
 * is the whole reference ("By reference.", "O(log n)."): then the reference is its one key point.
 */
const referencePoints = memoize((reference: string): KeyPoint[] => {
  const spell = acronymsOf(reference);
  const all = claims(reference).map((text) => ({ text: shorten(text, 160), stems: unique(contentStems(spell(text))) }));
  const points = all.filter((p) => p.stems.length >= 2);
  if (points.length) return points;
  const stems = unique(all.flatMap((p) => p.stems));
  return stems.length ? [{ text: shorten(claimText(reference).trim(), 160), stems }] : [];
});
const signalPoint = memoize((signal: string): KeyPoint => ({ text: signal, stems: unique(contentStems(signal)) }));

export const unique = <T>(xs: T[]) => [...new Set(xs)];

/**
 * The acronyms a reference defines itself ("Database Migration Service (DMS)"), as a rewriting of
 * any text: each long form becomes its acronym, so the answer that spells it out and the one that
 * abbreviates it match the reference alike. Worked out once per reference.
 */
const acronymsOf = memoize((reference: string): ((text: string) => string) => {
  const defs = definedAcronyms(plainText(reference));
  if (!defs.length) return (text) => text;
  const re = new RegExp(`(?<![\\w-])(${defs.map((d) => phrasePattern(d.long)).join('|')})(?![\\w-])`, 'gi');
  const short = new Map(defs.map((d) => [d.long.toLowerCase().replace(/[\s-]+/g, ' '), d.short]));
  return (text) => text.replace(re, (m) => ` ${short.get(m.toLowerCase().replace(/[\s-]+/g, ' ')) ?? m} `);
});

/** The length from which a stem also matches the stems it starts or that start it. */
const PREFIX = 5;

/** A stem matches if present, or shares a long prefix ("replic" ~ "replica"). */
export class StemSet {
  private readonly set: Set<string>;
  /** Stems of 5 letters or more by their first 5: two such stems where one starts the other share them. */
  private readonly long = new Map<string, string[]>();
  constructor(stems: Iterable<string>) {
    this.set = new Set(stems);
    for (const s of this.set) {
      if (s.length < PREFIX) continue;
      const key = s.slice(0, PREFIX);
      const list = this.long.get(key);
      if (list) list.push(s);
      else this.long.set(key, [s]);
    }
  }
  has(stem: string): boolean {
    if (this.set.has(stem)) return true;
    if (stem.length < PREFIX) return false;
    return this.long.get(stem.slice(0, PREFIX))?.some((a) => a.startsWith(stem) || stem.startsWith(a)) ?? false;
  }
  get size() {
    return this.set.size;
  }
  values() {
    return this.set.values();
  }
}

export interface ContentAnalysis {
  /** Weighted share of the reference's content words found in the answer, 0..1. */
  recall: number;
  /** Mean key-point coverage, 0..1. */
  pointScore: number;
  /** Share of the answer's content words that are on topic (in reference, signals or question), 0..1. */
  precision: number;
  /** The blend used for the correctness-type criteria, 0..1. */
  content: number;
  /**
   * How much `content` counts as a complete answer. A one-line reference must be covered nearly
   * in full; a long one holds more than any spoken answer needs, and 60 % of it is complete.
   */
  fullCoverage: number;
  points: PointCoverage[];
  answerStems: string[];
  /** The answer's stems as a set, for lookups. */
  answerSet: StemSet;
  questionStems: StemSet;
  /** The stems of the key points, and those with the question's: what is on topic. */
  pointStems: StemSet;
  topicStems: StemSet;
  /** Stems of the reference (and signals) the question itself does not use: content only an answer brings. */
  referenceOnly: StemSet;
}

/** What a question and its reference contribute to every analysis of an answer to it: worked out once. */
const questionStemSet = memoize((question: string) => new StemSet(contentStems(question)));
const referenceAnalysis = memoize((key: string) => {
  const [question, reference, signalText] = key.split('\u0000') as [string, string, string];
  const signals = signalText ? signalText.split('\n') : [];
  const spell = acronymsOf(reference);
  const referenceStems = unique(contentStems(spell(`${claimText(reference)}\n${signalText}`)));
  const questionStems = questionStemSet(question);
  const points = keyPoints(reference, signals);
  const pointStems = new StemSet(points.flatMap((p) => p.stems));
  // Question words count for less, the field's terms (the vocabulary's tokens) for more: each reference word's weight, once.
  const weight = (x: string) =>
    x.endsWith(EXPLAINED_STEM) ? EXPLAINED_WEIGHT : questionStems.has(x) ? QUESTION_WORD_WEIGHT : isTerm(x) ? TERM_WEIGHT : 1;
  const weighted = (stems: string[], long: (total: number) => number = (t) => t) => {
    const w = stems.map(weight);
    return { stems, weights: w, total: long(w.reduce((a, b) => a + b, 0)) };
  };
  return {
    referenceStems,
    reference: weighted(referenceStems),
    weightedPoints: points.map((p) => weighted(p.stems, saturated)),
    points,
    onTopic: new StemSet([...referenceStems, ...questionStems.values()]),
    pointStems,
    topicStems: new StemSet([...questionStems.values(), ...points.flatMap((p) => p.stems)]),
    referenceOnly: new StemSet(contentStems(spell(`${claimText(reference)} ${signals.join(' ')}`)).filter((x) => !questionStems.has(x))),
  };
});

export function analyzeContent(question: string, reference: string, answer: string, signals: string[] = []): ContentAnalysis {
  const questionStems = questionStemSet(question);
  const answerStems = contentStems(acronymsOf(reference)(answer));
  const answerSet = new StemSet(answerStems);
  const ref = referenceAnalysis(`${question}\u0000${reference}\u0000${signals.join('\n')}`);
  const { referenceStems, onTopic } = ref;
  // Whether the answer has each reference word, looked up once per word.
  const seen = new Map<string, boolean>();
  const has = (x: string) => {
    let h = seen.get(x);
    if (h === undefined) seen.set(x, (h = answerSet.has(x)));
    return h;
  };
  /** The weighted share of the words found in the answer. */
  const share = ({ stems, weights, total }: { stems: string[]; weights: number[]; total: number }) => {
    let found = 0;
    for (let i = 0; i < stems.length; i++) if (has(stems[i]!)) found += weights[i]!;
    return total > 0 ? Math.min(1, found / total) : 0;
  };

  const recall = share(ref.reference);
  const points = ref.points.map((p, i) => {
    const coverage = share(ref.weightedPoints[i]!);
    const signal = signals.includes(p.text);
    // Weighted, a term or a concept explained carries a point; plainly, at least a third of its words
    // (a quarter of a signal's, which describes behaviour) must be in the answer too.
    const plain = p.stems.filter(has).length / Math.max(1, p.stems.length);
    return { ...p, coverage, covered: coverage >= (signal ? 0.3 : 0.5) && plain >= (signal ? 0.25 : 1 / 3) };
  });
  const pointScore = points.length ? points.reduce((s, p) => s + Math.min(1, p.coverage / 0.6), 0) / points.length : recall;

  const precision = answerStems.length ? answerStems.filter((s) => onTopic.has(s)).length / answerStems.length : 0;

  const content = Math.min(1, 0.5 * Math.min(1, recall / 0.6) + 0.5 * pointScore) * (0.7 + 0.3 * precision);
  const fullCoverage = 1 - 0.4 * Math.max(0, Math.min(1, (referenceStems.length - SHORT_REFERENCE) / (LONG_REFERENCE - SHORT_REFERENCE)));
  return {
    recall,
    pointScore,
    precision,
    content,
    fullCoverage,
    points,
    answerStems,
    answerSet,
    questionStems,
    pointStems: ref.pointStems,
    topicStems: ref.topicStems,
    referenceOnly: ref.referenceOnly,
  };
}

// ---------------------------------------------------------------------------------------------
// Guards

const ANTONYMS: Array<[RegExp, RegExp]> = [
  [/\bstrong(ly)?\s+consisten/, /\beventual(ly)?\s+consisten/],
  [/\bsynchronous(ly)?\b/, /\basynchronous(ly)?\b|\basync\b/],
  [/\bstateless\b/, /\bstateful\b/],
  [/\bscaleout\b/, /\bscaleup\b/],
  [/\bhorizontal(ly)?\b/, /\bvertical(ly)?\b/],
  [/\bincreas\w*/, /\bdecreas\w*/],
  [/\bfifo\b|\bfirst in first out\b/, /\blifo\b|\blast in first out\b/],
  [/\bpush\b/, /\bpull\b/],
  [/\boptimistic\b/, /\bpessimistic\b/],
  [/\bsymmetric\b/, /\basymmetric\b/],
  [/\bencrypted\b/, /\bplain\s*text\b|\bunencrypted\b/],
  [/\bidempotent\b/, /\bnon[\s-]?idempotent\b/],
  [/\bat[\s-]least[\s-]once\b/, /\bat[\s-]most[\s-]once\b|\bexactly[\s-]once\b/],
  [/\bregional\b|\bmulti[\s-]?region\b/, /\bsingle[\s-]region\b/],
  [/\bmultiaz\b/, /\bsingle[\s-]az\b/],
];

/**
 * What a reference answer says about each antonym pair, worked out once per reference: whether it
 * uses one side only (an answer using the other contradicts it), and which of its sentences are
 * about each side (an answer may swap what they say).
 */
const antonymProfile = memoize((reference: string) => {
  const ref = words(plainText(reference)).join(' ');
  const refSpans = sentences(plainText(reference)).map((s) => ({
    text: words(s.text).join(' '),
    stems: new StemSet(contentStems(s.text)),
  }));
  const about = (re: RegExp, other: RegExp) => refSpans.filter((r) => re.test(r.text) && !other.test(r.text));
  return ANTONYMS.map(([a, b]) => ({
    a,
    b,
    // The side the reference uses alone, if it uses one side only: an answer using the other contradicts it.
    only: a.test(ref) && !b.test(ref) ? a : b.test(ref) && !a.test(ref) ? b : null,
    refA: about(a, b),
    refB: about(b, a),
  }));
});

/** A term named only to be set aside or denied: "instead of X", "rather than X", "not X", "without X". */
function setAside(text: string, term: RegExp): boolean {
  const m = new RegExp(term.source, term.flags.replace('g', '')).exec(text);
  return (
    m !== null &&
    /\b(instead of|rather than|not|no|never|without|unlike|avoid\w*|versus|vs|over|than|nor)\b(\s+\w+){0,4}\s*$/.test(
      text.slice(0, m.index),
    )
  );
}

/** Claims that say the opposite of the reference: antonym swaps and negated key statements. */
export function contradictions(reference: string, answer: string): Span[] {
  const profile = antonymProfile(reference);
  const ans = words(answer).join(' ');
  const hits: Span[] = [];
  const spans = sentences(answer).map((s) => ({ span: s, text: words(s.text).join(' ') }));
  for (const { a, b, only } of profile) {
    if (!only) continue;
    const mine = only === a ? b : a;
    if (mine.test(ans) && !only.test(ans)) {
      // "instead of calling each other synchronously" sets the other side aside: it does not claim it.
      const span = spans.find((s) => mine.test(s.text) && !setAside(s.text, mine));
      if (span) hits.push(span.span);
    }
  }
  // Definitions swapped between two opposite terms: the answer says of "eventual" what the
  // reference says of "strong".
  for (const { a, b, refA, refB } of profile) {
    if (!refA.length || !refB.length) continue;
    for (const s of spans) {
      if (!a.test(s.text) && !b.test(s.text)) continue;
      for (const clause of s.span.text.split(/[;,]\s*(?:and|but|while|whereas)?\s*|\s+(?:while|whereas|but)\s+/)) {
        const t = words(clause).join(' ');
        for (const [mine, theirs, refMine, refTheirs] of [
          [a, b, refA, refB],
          [b, a, refB, refA],
        ] as const) {
          if (!mine.test(t) || theirs.test(t)) continue;
          const stems = unique(contentStems(clause)).filter((x) => !mine.test(x) && !theirs.test(x));
          const overlap = (refs: typeof refA) => Math.max(...refs.map((r) => stems.filter((x) => r.stems.has(x)).length));
          const withTheirs = overlap(refTheirs);
          if (withTheirs >= 3 && withTheirs > overlap(refMine) + 1) hits.push(s.span);
        }
      }
    }
  }
  return [...new Map(hits.map((h) => [h.start, h])).values()];
}

/** True for a bag of keywords: fragments without the function words that make sentences. */
export function isKeywordList(answer: string): boolean {
  const ws = words(answer);
  if (ws.length < 5) return false;
  const functionShare = ws.filter((w) => STOP_WORDS.has(w)).length / ws.length;
  const fragments = answer
    .split(/[,;\n|/]+|\s-\s/)
    .map((f) => f.trim())
    .filter(Boolean);
  const avgFragment = fragments.reduce((s, f) => s + f.split(/\s+/).length, 0) / Math.max(1, fragments.length);
  return (ws.length >= 8 && functionShare < 0.1) || (fragments.length >= 4 && avgFragment <= 2.5 && functionShare < 0.25);
}

/**
 * How much of a point's content an answer has, 0..1: the share of the point's distinct content
 * words (after the vocabulary's rewriting and stemming) found in the answer. Used to hold a
 * model's covered and missed lists to what the answer says.
 */
export function support(point: string, answer: string): number {
  const stems = unique(contentStems(point));
  if (!stems.length) return 0;
  const have = new StemSet(contentStems(answer));
  return stems.filter((x) => have.has(x)).length / stems.length;
}
