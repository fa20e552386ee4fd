import { type ContentAnalysis, contradictions, isKeywordList, StemSet, unique } from '../analysis.js';
import type { Flag } from '../grade.js';
import type { RubricKind } from '../rubrics.js';
import { contentStems, plainText, type Span, words } from '../text.js';
import type { GradeInput } from '../types.js';
import { countMatches, distinctMatches } from './context.js';
import { AMAZON_SPECIFIC, COMPANY_CONCRETE, CUSTOMER_METRIC, I_ACTION, I_PAST, PRINCIPLE_WORDS, WORK_CONTEXT } from './lexicon.js';
import { facetsFound, showsTheme, type Theme, THEMES } from './themes.js';

/**
 * The guards: answers that must not earn a grade whatever their words — "I don't know", too
 * short, a bag of keywords, the question read back, off-topic, a contradiction of the reference.
 * Whether an answer is on topic depends on what the reference answer is for: technical and design
 * answers are measured against its key points; a company answer against the company and the
 * question; a behavioural story against the question's theme, never the example story's nouns.
 */

/** Admitting not knowing. Words such as "pass" or "skip" count only as the whole answer ("I'll pass"). */
const DONT_KNOW =
  /\b(i\s+(really\s+)?(don'?t|do\s+not)\s+know|no\s+idea|not\s+sure|idk|no\s+clue|i\s+have\s+never\s+(heard|done|used)|i\s+can'?t\s+remember)\b/gi;
const PASS = /^\W*(?:i'?ll\s+|i\s+will\s+|let\s+me\s+)?(?:pass|skip)(?:\s+(?:on\s+)?(?:this(?:\s+one)?|it|that))?\W*$/i;
/** What an answer may add to an admission of not knowing and still be no answer ("sorry, never used it"). */
const MAX_BESIDES_ADMISSION = 3;

/** Words that say nothing as a whole answer: "fine", "ok", "x", "n/a". */
const FILLER = new Set([
  'fine',
  'ok',
  'okay',
  'yes',
  'yeah',
  'yep',
  'no',
  'nope',
  'sure',
  'whatever',
  'nothing',
  'none',
  'na',
  'n',
  'idk',
  'um',
  'uh',
  'hmm',
  'dunno',
  'next',
  'pass',
  'skip',
  'test',
  'asdf',
  'lol',
  'blah',
  'good',
  'great',
  'cool',
]);

/**
 * True when the answer is no answer: an admission of not knowing and little else (reasoning
 * towards an answer is not), or only filler ("fine", "ok") and stray letters ("x").
 */
function admitsNotKnowing(answer: string, content: ContentAnalysis): boolean {
  const said = words(answer).filter((w) => !FILLER.has(w) && (w.length > 1 || /\d/.test(w)));
  if (PASS.test(answer) || content.answerStems.length === 0 || said.length === 0) return true;
  const rest = answer.replace(DONT_KNOW, ' ');
  return rest !== answer && contentStems(rest).length <= MAX_BESIDES_ADMISSION;
}

/** The share of a complete answer's reference content from which a short answer is not too short. */
const COVERS_REFERENCE = 0.75;

/** The candidate in the first person. */
const FIRST_PERSON = /\b(I|my|me)\b/g;

/** Words of an answer about a company and working there, however generic. */
const COMPANY_TALK =
  /\b(amazon|company|companies|culture|customers?|teams?|career|work(ing)? (here|there)|employer|leaders?|principles?|innovat\w*|products?)\b/gi;

/** Words every behavioural question has; they say nothing about its theme. */
const STORY_WORDS = new StemSet(
  contentStems(
    'tell me about a time describe an example situation when you did what happened give team colleague project work made had something',
  ),
);

export interface GuardResult {
  flags: Flag[];
  /** For an off-theme story: the theme it fits instead. */
  fits?: Theme;
  /** Answer length against the minimum the question needs, 0..1. */
  completeness: number;
  contradiction: Span[];
}

export interface GuardInput {
  input: GradeInput;
  kind: RubricKind;
  /** The answer as scored (text addressed to the grader blanked out). */
  answer: string;
  content: ContentAnalysis;
  themes: Theme[];
}

export function guards({ input, kind, answer, content, themes }: GuardInput): GuardResult {
  const flags: Flag[] = [];
  const answerStems = content.answerStems;
  const usesReference = kind === 'technical' || kind === 'system_design' || kind === 'coding';
  const referenceSize = usesReference ? unique(contentStems(plainText(input.referenceAnswer))).length : 0;

  if (admitsNotKnowing(answer, content)) flags.push('dont_know');

  const minStems = referenceSize ? Math.max(2, Math.min(20, Math.round(referenceSize * 0.25))) : 20;
  // A short answer that already says what the reference says is complete, not too short.
  const coversReference = usesReference && content.content / content.fullCoverage >= COVERS_REFERENCE;
  const completeness = coversReference ? 1 : Math.min(1, answerStems.length / minStems);
  if (!flags.includes('dont_know') && completeness < 1) flags.push('too_short');

  if (echoesQuestion(content)) flags.push('question_echo');
  if (isKeywordList(answer)) flags.push('keyword_list');

  if (!flags.includes('dont_know') && !flags.includes('question_echo') && !onTopic({ input, kind, answer, content, themes })) {
    flags.push('off_topic');
  }

  const contradiction = referenceSize ? contradictions(input.referenceAnswer, answer) : [];
  if (contradiction.length) flags.push('contradicts_reference');
  const other =
    kind === 'star' && !flags.some((f) => f === 'off_topic' || f === 'dont_know')
      ? offTheme({ input, kind, answer, content, themes })
      : undefined;
  if (other) flags.push('off_theme');
  const fits = other?.fits;
  return { flags, contradiction, completeness, fits };
}

/**
 * Whether a story answers another question, and which: a first-person story that shows none of
 * the question's theme (beyond its setting: a person, a customer, a goal) and no more than one of
 * its signals; or one that shows a single facet of it while it tells all of another theme that is
 * not broad. The theme it fits best is named, when one fits at all. Measured on held-out stories:
 * a story on the question's theme in words we do not know rarely shows none of its facets.
 */
function offTheme({ input, answer, content, themes }: GuardInput): { fits?: Theme } | undefined {
  if (!themes.length || !isStory(answer)) return undefined;
  const signals = content.points.filter((p) => (input.signals ?? []).includes(p.text) && p.covered).length;
  if (signals > 1 || questionOverlap(content) >= 2) return undefined;
  const asked = Math.max(...themes.map((t) => showsTheme(answer, t).length));
  if (asked > 1 || (asked === 1 && !themes.some((t) => t.facets.length >= 3))) return undefined;
  const ranked = THEMES.filter((t) => !themes.includes(t))
    .map((t) => ({ t, found: facetsFound(answer, t).length, shows: showsTheme(answer, t).length }))
    .sort((a, b) => b.found / b.t.facets.length - a.found / a.t.facets.length || b.found - a.found);
  const clear = ranked.find(
    ({ t, found }) => found >= 2 && found / t.facets.length >= 0.66 && (asked === 0 || (found === t.facets.length && !t.broad)),
  );
  if (clear) return { fits: clear.t };
  if (asked > 0) return undefined;
  return { fits: ranked.find((r) => r.shows > 0 && !r.t.broad)?.t };
}

function echoesQuestion(content: ContentAnalysis): boolean {
  const answerStems = content.answerStems;
  if (!answerStems.length) return false;
  const fromQuestion = answerStems.filter((s) => content.questionStems.has(s)).length;
  const novel = unique(answerStems.filter((s) => !content.questionStems.has(s)));
  const addsReferenceContent = novel.some((s) => content.referenceOnly.has(s));
  const questionList = [...content.questionStems.values()];
  const answerSet = content.answerSet;
  const mirrors = questionList.length > 0 && questionList.filter((s) => answerSet.has(s)).length / questionList.length >= 0.5;
  return fromQuestion / answerStems.length >= 0.7 && mirrors && novel.length < 3 && !addsReferenceContent;
}

/** Stems of the question's own words (not the "tell me about a time" frame) found in the answer. */
function questionOverlap(content: ContentAnalysis): number {
  const asked = [...content.questionStems.values()].filter((s) => !STORY_WORDS.has(s));
  return asked.filter((s) => content.answerSet.has(s)).length;
}

function onTopic({ input, kind, answer, content, themes }: GuardInput): boolean {
  // A few words are on topic if any of them is: only a longer answer can be judged as a whole.
  if (content.answerStems.length < 8) return content.answerStems.some((s) => content.topicStems.has(s)) || storyOnTheme(answer, themes);
  if (kind === 'technical' || kind === 'system_design' || kind === 'coding') return content.precision >= 0.15 || content.recall >= 0.1;
  const overlap = questionOverlap(content);
  if (kind === 'company') {
    const specific =
      distinctMatches(answer, AMAZON_SPECIFIC).length +
      distinctMatches(answer, CUSTOMER_METRIC).length +
      Math.floor(distinctMatches(answer, COMPANY_CONCRETE).length / 2);
    const talk = distinctMatches(answer, COMPANY_TALK).length;
    return specific >= 1 || overlap >= 2 || content.recall >= 0.1 || talk >= 2 || (overlap >= 1 && (talk >= 1 || content.recall >= 0.05));
  }
  // A behavioural story: a first-person account of work, or of the question's theme.
  const work = distinctMatches(answer, WORK_CONTEXT).length;
  const story = isStory(answer);
  const facets = themes.flatMap((t) => t.facets).filter((f) => countMatches(answer, f.re) > 0).length;
  const principles = (input.leadershipPrinciples ?? []).filter((p) => countMatches(answer, PRINCIPLE_WORDS[p]!) > 0).length;
  const signals = content.points.filter((p) => (input.signals ?? []).includes(p.text) && p.covered).length;
  const themed = facets + signals + overlap;
  return (story && (work >= 1 || themed >= 1)) || themed >= 2 || (work >= 2 && (themed >= 1 || principles >= 1));
}

/** A short answer that touches the question's theme ("we had an outage after a release"). */
const storyOnTheme = (answer: string, themes: Theme[]) => themes.some((t) => facetsFound(answer, t).length > 0);

/** A first-person account of something that happened: past-tense actions, or "I/my" told about work. */
function isStory(answer: string): boolean {
  const past = countMatches(answer, I_PAST);
  return (
    past >= 2 ||
    (past >= 1 && countMatches(answer, I_ACTION) >= 3) ||
    (countMatches(answer, FIRST_PERSON) >= 3 && distinctMatches(answer, WORK_CONTEXT).length >= 3)
  );
}
