import type { Span } from '../../text.js';
import type { ScoringContext, Scorer } from '../context.js';
import { distinctMatches } from '../context.js';
import { CHANGE_AFTER, NUMBER_WITH_UNIT, REFLECTION, SITUATION, TASK } from '../lexicon.js';

/** An outcome told: what changed, what shipped, how it ended. */
const OUTCOME =
  /\b(reduc\w*|increas\w*|improv\w*|cut|saved?|grew|dropp\w*|fell|rose|lower\w*|launched|shipped|delivered|achiev\w*|result\w*|outcome|won|recover\w*|eliminat\w*|resolv\w*|adopt\w*|passed|went (from|live|down|back)|ended up|in the end|by the end|finished|completed|hit|met|beat|exceeded|succeeded|no longer|drained|halved|doubled|tripled|now (take|takes|run|runs|cost|costs|is|are|happen|happens)|(is|are|was|were) (now )?(more|less|faster|cheaper|stable)|went away)\b/i;
/** Figures of an outcome: quantities, and the counted nothing ("zero defects", "no findings") or the date kept ("on time"). */
const FIGURE = new RegExp(
  `${NUMBER_WITH_UNIT.source}|\\b(zero|no) (\\w+ )?(findings|incidents|errors|defects|complaints|outages|downtime|data loss|escalations|regressions|bugs|pages|failures)\\b|\\b(on time|on schedule|ahead of schedule)\\b|\\bfrom \\$?\\d[\\d,.]*\\s?\\w*(?: \\w+){0,3} to (?:\\$?\\d[\\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|zero)\\b|\\b(?:near|almost|close to|down to) zero\\b|\\bwithin the (?:hour|day|week)\\b`,
  'gi',
);
const LESSON = new RegExp(`${REFLECTION.source}|${CHANGE_AFTER.source}`, 'i');
const SCENE = new RegExp(`${SITUATION.source}|${TASK.source}|\\bbefore (the )?(launch|release|deadline)\\b`, 'i');

/**
 * The sentences that tell the result: after the opening (a story starts with its situation), with
 * an outcome in them, and not the lesson drawn from it or the scene set before it. Figures told
 * while setting the scene ("60 engineers", "two weeks before launch") are not results.
 */
export function resultSentences(ctx: ScoringContext): Span[] {
  const spans = ctx.spans;
  const from = spans.length > 2 ? 1 : spans.length > 1 ? 1 : 0;
  return spans.slice(from).filter((s) => OUTCOME.test(s.text) && !(LESSON.test(s.text) && !/\d/.test(s.text)) && !SCENE.test(s.text));
}

/** STAR: a measurable outcome, from the sentences that tell it. */
export const result: Scorer = (ctx) => {
  const told = resultSentences(ctx);
  const metrics = [...new Set(told.flatMap((s) => distinctMatches(s.text, FIGURE)))];
  const level = metrics.length >= 2 ? 5 : metrics.length === 1 ? 4 : told.length ? 2 : null;
  const withFigures = told.filter((s) => distinctMatches(s.text, FIGURE).length);
  return {
    level,
    evidence: (withFigures.length ? withFigures : told).slice(0, 2),
    shows: metrics.length ? `Quantified: ${metrics.slice(0, 4).join(', ')}` : told.length ? 'Says how it turned out' : '',
    lacks: metrics.length
      ? 'Say what the result meant for customers or the business'
      : told.length
        ? 'Describes an outcome but puts no number on it'
        : 'No result: how did it turn out?',
  };
};
