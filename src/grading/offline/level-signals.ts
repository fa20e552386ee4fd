import type { DimensionReading } from '../bar.js';
import { levelAt } from '../levels.js';
import type { Rubric } from '../rubrics.js';
import type { Span } from '../text.js';
import { distinctMatches, hits, type ScoringContext } from './context.js';
import { resultSentences } from './scorers/result.js';
import { AMAZON_SPECIFIC, CAPACITY, FAILURE, MECHANISM, NUMBER_WITH_UNIT, TRADEOFF } from './lexicon.js';

/**
 * The offline grader's level signals: for each bar dimension a rubric names (rubrics/*.yaml,
 * `bar`), the level the answer shows on it, read from what it says (the scope of the team or
 * organisation named, influence beyond the candidate's own team, ambiguity handled, the size of
 * the outcome; for a design its figures, trade-offs and operations) and the sentence that shows it.
 * A dimension with nothing to show is read at SDE I. Our patterns, no model.
 */

export interface LevelSignal {
  rank: number;
  evidence: Span | null;
}
type Reader = (ctx: ScoringContext) => LevelSignal;

/** The highest level whose pattern the answer matches (not denied), with its sentence. */
const byPattern =
  (patterns: Array<[rank: number, re: RegExp]>): Reader =>
  (ctx) => {
    for (const [rank, re] of patterns) {
      if (distinctMatches(ctx.answer, re).length) return { rank, evidence: hits(ctx, re, 1)[0] ?? null };
    }
    return { rank: 4, evidence: null };
  };

/** The level a count of distinct signals reaches: `steps` are the counts for L5, L6 and L7. */
const byCount =
  (re: RegExp, steps: [number, number, number], l7?: RegExp): Reader =>
  (ctx) => {
    const found = distinctMatches(ctx.answer, re);
    let rank = found.length >= steps[2] ? 7 : found.length >= steps[1] ? 6 : found.length >= steps[0] ? 5 : 4;
    // The top level needs its own kind of signal besides the count.
    if (rank === 7 && l7 && !distinctMatches(ctx.answer, l7).length) rank = 6;
    return { rank, evidence: rank > 4 ? (hits(ctx, re, 1)[0] ?? null) : null };
  };

const TEAMS =
  '(two|three|four|five|six|seven|eight|nine|ten|\\d+|several|multiple|many|other|partner|sister|adjacent|dependent|different|neighbouring|neighboring)';

const SCOPE: Array<[number, RegExp]> = [
  [
    7,
    /\b(company[\s-]wide|org(ani[sz]ation)?[\s-]wide|across the (whole |entire )?(company|organi[sz]ation|division|business)|(whole|entire) (company|organi[sz]ation|division|business)|(dozens|hundreds) of teams|every team in (the|our) (company|org\w*)|\d{2,} teams|multi-year)\b/gi,
  ],
  [
    6,
    new RegExp(
      `\\b(${TEAMS} (\\w+ )?teams|across teams|cross[\\s-]team|teams (that )?(depend|depended|relied|rely) on|our (org|organi[sz]ation)|the (org|organi[sz]ation)\\b|(platform|service|library|system) (that )?(\\w+ )?teams (use|used|depend|rely))\\b`,
      'gi',
    ),
  ],
  [
    5,
    /\b(i (led|owned|drove|designed|architected|ran|was leading|was running) (the|our|a|an|this|that|my team's)|end[\s-]to[\s-]end|tech(nical)? lead|i was the (owner|lead)|(my|our) team['’]s (roadmap|service|system|product|platform|migration|project)|the whole (project|service|feature|migration|system))\b/gi,
  ],
];

const AMBIGUITY: Array<[number, RegExp]> = [
  [
    7,
    /\b((set|defined|wrote|shaped) (the|our|a) (\w+ )?(strategy|vision|direction)|multi-year (plan|roadmap|strategy|bet)|long[\s-]term (strategy|vision|direction)|what the (company|organi[sz]ation|org) should (do|build|bet on))\b/gi,
  ],
  [
    6,
    /\b(ambigu\w*|unclear|undefined|ill[\s-]defined|no (clear |written )?(spec|specs|requirements|owner|owners|plan|playbook|precedent|roadmap)|nobody (knew|owned|had)|no one (knew|owned|had)|conflicting (priorities|requirements|goals|asks)|competing (priorities|goals)|(defined|framed|scoped) the problem|was(n['’]t| not) clear|did(n['’]t| not) know (what|how|where|whether))\b/gi,
  ],
  [
    5,
    /\b(trade-?offs?|(weighed|compared|considered|evaluated) (the |two |three |several |both )?(options|approaches|alternatives|designs)|(two|three|several) (options|approaches|alternatives)|chose between|decided (to|between|against)|prioriti[sz]ed)\b/gi,
  ],
];

const IMPACT: Array<[number, RegExp]> = [
  [
    7,
    /\b(millions (of )?(customers|users|dollars|orders)|\$\s?\d[\d,.]*\s?(m|million|b|billion)\b|\d[\d,.]*\s?(million|billion) (customers|users|dollars|orders|a year)|company[\s-]wide|(dozens|hundreds) of teams|\d{2,} teams (adopted|use|used|now use))\b/gi,
  ],
  [
    6,
    new RegExp(
      `\\b(adopted (it )?(by|across)|${TEAMS} (\\w+ )?teams (adopted|use|used|reuse|reused|rely|now use|picked it up)|(became|is now|made it|turned into) (the|a|our) (\\w+ )?(standard|default|mechanism|template|practice)|still (in use|used|running|the standard)|thousands of (customers|users|sellers|drivers)|hundreds of thousands)\\b`,
      'gi',
    ),
  ],
];

const INFLUENCE: Array<[number, RegExp]> = [
  [
    7,
    /\b(vps?|svps?|cto|ceo|c-suite|executives?|senior leadership|leadership team|directors?|industry|conference talk|open[\s-]sourced)\b/gi,
  ],
  [
    6,
    new RegExp(
      `\\b(without (any |formal |direct )?authority|(convinced|persuaded|aligned|brought|got|won over) (the )?${TEAMS} (\\w+ )?teams|stakeholders|(other|partner) teams? (to|agreed)|principal engineers?|buy[\\s-]in|influenced|did(n['’]t| not) report to me)\\b`,
      'gi',
    ),
  ],
  [
    5,
    /\b(convinced|persuaded|mentored|coached|onboarded|my manager agreed|got (my )?(manager|team|lead) to|won (them|the team|him|her) over|walked (the team|them|my manager|him|her) through|proposed|taught)\b/gi,
  ],
];

/**
 * The size of what changed, read in a story only from the sentences that tell its result (figures
 * told while setting the scene are not an outcome): who adopted it, how many it reached, and for
 * SDE II a result with a figure.
 */
const IMPACT_READER: Reader = (full) => {
  const told = full.kind === 'star' ? resultSentences(full) : full.spans;
  const ctx: ScoringContext = { ...full, spans: told, answer: told.map((s) => s.text).join(' ') };
  const top = byPattern(IMPACT)(ctx);
  if (top.rank > 4) return top;
  return distinctMatches(ctx.answer, NUMBER_WITH_UNIT).length ? { rank: 5, evidence: hits(ctx, NUMBER_WITH_UNIT, 1)[0] ?? null } : top;
};

const GLOBAL =
  /\b(global(ly)?|multi[\s-]region|(two|three|several|multiple|\d+) regions|cross[\s-]region|worldwide|cost (per|of the|at))\b/gi;
const OPERATIONS = new RegExp(
  `${FAILURE.source}|\\b(monitor\\w*|metrics?|dashboards?|on[\\s-]?call|runbooks?|slos?|slas?|canar(y|ies)|deploy\\w*|game[\\s-]days?|load[\\s-]test\\w*|capacity planning|post[\\s-]?mortems?|paged?|alerts?)\\b`,
  'gi',
);
const BUSINESS = /\b(cost|costs|budget|customers?|business|revenue|\$)\b/gi;

/** How widely a design is sized: its figures, and for the top level a global footprint. */
const SCALE: Reader = (ctx) => {
  const figures = distinctMatches(ctx.answer, CAPACITY).length;
  const global = distinctMatches(ctx.answer, GLOBAL).length > 0;
  const rank = figures >= 3 && global ? 7 : figures >= 2 || (figures >= 1 && global) ? 6 : figures >= 1 ? 5 : 4;
  return { rank, evidence: rank > 4 ? (hits(ctx, figures ? CAPACITY : GLOBAL, 1)[0] ?? null) : null };
};

const READERS: Record<string, Reader> = {
  scope: byPattern(SCOPE),
  ambiguity: byPattern(AMBIGUITY),
  impact: IMPACT_READER,
  influence: byPattern(INFLUENCE),
  scale: SCALE,
  tradeoffs: byCount(TRADEOFF, [1, 3, 4], BUSINESS),
  operations: byCount(OPERATIONS, [2, 4, 6], GLOBAL),
  depth: byCount(MECHANISM, [1, 3, 5]),
  mechanisms: byCount(AMAZON_SPECIFIC, [1, 3, 5]),
};

/** The dimension ids the offline grader can read: a rubric's bar may name only these. */
export const LEVEL_SIGNALS = Object.keys(READERS);

export function readLevels(ctx: ScoringContext, rubric: Rubric): DimensionReading[] {
  return Object.keys(rubric.bar ?? {}).map((id) => {
    const read = READERS[id];
    const signal = read ? read(ctx) : { rank: 4, evidence: null };
    return { id, shows: levelAt(signal.rank), evidence: signal.evidence?.text ?? null };
  });
}
