import { countMatches, distinctMatches, hits, type Scorer } from '../context.js';
import { NUMBER_WITH_UNIT, RESULT_VERB } from '../lexicon.js';

const RESULT = new RegExp(`${NUMBER_WITH_UNIT.source}|${RESULT_VERB.source}`, 'gi');

/** STAR: a measurable outcome. */
export const result: Scorer = (ctx) => {
  const metrics = distinctMatches(ctx.answer, NUMBER_WITH_UNIT);
  const verbs = countMatches(ctx.answer, RESULT_VERB);
  const level = metrics.length >= 2 ? (verbs ? 5 : 4) : metrics.length === 1 ? (verbs ? 4 : 3) : verbs ? 2 : null;
  return {
    level,
    evidence: hits(ctx, RESULT, 6).slice(-2),
    feedback: metrics.length
      ? `Quantified: ${metrics.slice(0, 4).join(', ')}.`
      : verbs
        ? 'Describes an outcome but puts no number on it.'
        : 'No result: how did it turn out?',
  };
};
