import { type Quantity, type StorySpecifics, storySpecifics } from './story-specifics.js';
import { isStoryCommon } from './story-words.js';

/**
 * Stories told twice. Interviewers in a loop compare notes, and a story told to two of them is
 * noticed even when it is reworded: the same situation, people and figures come back. Different
 * stories from the same job share the job (company, team, manager, stack) and must not be taken
 * for one story.
 *
 * The rule. Two answers are one story when the words of the situation agree and at least one
 * other, independent kind of specific agrees too:
 * - words: the content words both use (stemmed, through the grader's vocabulary), as a share of
 *   the shorter answer's, each weighted by rarity: the words of every work story ("team",
 *   "manager", "customers", "shipped") count 0.15, other words 1; reaches `WORDS_AGREE`;
 * - figures: the quantities both give ("40%", "3 weeks", "$2M", "1,140 merchants"; digits or words,
 *   "k" and "million" read), each weighted by how much it says (a small round count like
 *   "2 teams" counts 0.25); together reach `FIGURES_AGREE`;
 * - phrases: the two-word phrases both use ("pick tasks", "partition key"), at least `PHRASES_AGREE`.
 * When the figures agree strongly (`FIGURES_STRONG`) the words need only reach `WORDS_WITH_FIGURES`:
 * a story retold in another voice keeps its numbers. Names (people, systems, places) are reported
 * but decide nothing: two stories from one job share the company, the manager and the stack.
 *
 * Every specific that the candidate's other answers in the loop also tell counts less, divided
 * by one plus the number of those answers: the job's vocabulary is in all of them, a story's own
 * specifics are not. Answers under `MIN_WORDS` words are never one story. The result, its
 * similarity and the order of the two answers do not matter to `same`.
 */

export interface StoryMatch {
  /** Whether the later answer retells the earlier answer's story. */
  same: boolean;
  /** How much of one story the two tell, 0..1: words, figures and phrases combined. */
  similarity: number;
  /** The specifics both tell (figures, names, phrases), as the candidate wrote them in the later answer, rarest first. */
  shared: string[];
}

export const MIN_WORDS = 30;
export const WORDS_AGREE = 0.42;
export const WORDS_WITH_FIGURES = 0.3;
export const FIGURES_AGREE = 1;
export const FIGURES_STRONG = 2.5;
export const PHRASES_AGREE = 3;
/** The weight of a word every work story uses, against 1 for any other word. */
const COMMON_WEIGHT = 0.15;
/** At most this many specifics are reported. */
const MAX_SHARED = 12;

/** The evidence of one pair, kind by kind: what `sameStory` decides on. */
export interface StoryEvidence {
  /** Rarity-weighted share of the shorter answer's content words that the other answer uses too. */
  words: number;
  /** Weighted count of the figures both give. */
  figures: number;
  /** Weighted count of the phrases both use. */
  phrases: number;
  /** Weighted count of the names both use. */
  names: number;
  shared: Array<{ text: string; weight: number }>;
}

const compatible = (a: Quantity, b: Quantity) =>
  a.value === b.value && (a.unit === b.unit || !a.unit || !b.unit || (a.unit.startsWith('n:') && b.unit.startsWith('n:')));

/** Compares two answers kind by kind; `others` are the candidate's other answers in the loop. */
export function compareStories(earlier: string, later: string, others: readonly string[] = []): StoryEvidence {
  const a = storySpecifics(earlier);
  const b = storySpecifics(later);
  const elsewhere = others.filter((o) => o !== earlier && o !== later).map(storySpecifics);
  /** 1 for a specific no other answer tells, less the more of them tell it. */
  const rarity = (toldIn: (s: StorySpecifics) => boolean) => 1 / (1 + elsewhere.filter(toldIn).length);
  const shared: StoryEvidence['shared'] = [];

  let figures = 0;
  const counted = new Set<number>();
  for (const x of b.quantities) {
    const match = a.quantities.filter((y) => compatible(x, y));
    if (!match.length || counted.has(x.value)) continue;
    counted.add(x.value);
    const weight = Math.max(x.weight, ...match.map((y) => y.weight)) * rarity((s) => s.quantities.some((y) => compatible(x, y)));
    figures += weight;
    if (weight) shared.push({ text: x.text, weight: weight + 1 });
  }

  let names = 0;
  for (const [key, text] of [...b.names, ...b.openers]) {
    const named = (a.names.has(key) && (b.names.has(key) || b.openers.has(key))) || (a.openers.has(key) && b.names.has(key));
    if (!named || shared.some((s) => s.text === text)) continue;
    const weight = rarity((s) => s.names.has(key) || s.openers.has(key));
    names += weight;
    shared.push({ text, weight });
  }

  const stemWeight = (st: string) => (isStoryCommon(st) ? COMMON_WEIGHT : 1) * rarity((s) => s.stems.has(st));
  const mass = (s: StorySpecifics) => [...s.stems].reduce((n, st) => n + stemWeight(st), 0);
  let common = 0;
  for (const st of b.stems) if (a.stems.has(st)) common += stemWeight(st);
  const words = common / Math.max(20 * rarityFloor(elsewhere.length), Math.min(mass(a), mass(b)));

  let phrases = 0;
  for (const [key, text] of b.phrases) {
    if (!a.phrases.has(key)) continue;
    const weight = rarity((s) => s.phrases.has(key));
    phrases += weight;
    shared.push({ text, weight: weight * 0.9 });
  }
  return { words, figures, phrases, names, shared };
}

/** The smallest answer's weight, given how many other answers there are to discount against. */
const rarityFloor = (others: number) => (others ? 0.5 : 1);

/**
 * Whether `later` retells the story of `earlier` (see the rule above). `others` are the
 * candidate's other answers in the loop, if known: what they tell too counts less.
 */
export function sameStory(earlier: string, later: string, others: readonly string[] = []): StoryMatch {
  if (storySpecifics(earlier).length < MIN_WORDS || storySpecifics(later).length < MIN_WORDS) {
    return { same: false, similarity: 0, shared: [] };
  }
  const e = compareStories(earlier, later, others);
  const wordsAgree = e.words >= WORDS_AGREE;
  const figuresAgree = e.figures >= FIGURES_AGREE;
  const phrasesAgree = e.phrases >= PHRASES_AGREE;
  const same = (wordsAgree && (figuresAgree || phrasesAgree)) || (e.figures >= FIGURES_STRONG && e.words >= WORDS_WITH_FIGURES);
  const similarity = Math.min(1, 0.5 * Math.min(1, e.words / 0.6) + 0.3 * Math.min(1, e.figures / 3) + 0.2 * Math.min(1, e.phrases / 6));
  const shared = e.shared
    .filter((s) => s.weight > 0)
    .sort((x, y) => y.weight - x.weight)
    .map((s) => s.text)
    .filter((t, i, all) => all.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i)
    .slice(0, MAX_SHARED);
  return { same, similarity: Math.round(similarity * 1000) / 1000, shared };
}
