import { plainText, sentences } from '../../text.js';
import { clampLevel, type Scorer } from '../context.js';

/** technical: explained in sentences a listener can follow. */
export const clarity: Scorer = (ctx) => {
  const n = ctx.spans.length;
  const lengths = ctx.spans.map((s) => s.text.split(/\s+/).filter(Boolean).length);
  const wordsPer = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (ctx.flags.includes('keyword_list')) {
    return { level: 1, evidence: ctx.spans.slice(0, 1), shows: '', lacks: 'A list of keywords rather than explanation in sentences' };
  }
  // As many sentences as the question needs: a one-line reference asks for no essay.
  const needed = Math.max(1, Math.min(3, sentences(plainText(ctx.input.referenceAnswer)).length));
  let level = n >= needed ? 4 : n >= needed - 1 ? 3 : 2;
  if (wordsPer > 45) level -= 1;
  if (n >= 4 && wordsPer >= 8 && wordsPer <= 30 && ctx.content.content >= 0.4) level += 1;
  // The evidence is the sentences that read best: complete, and the closest to an easy length.
  const readable = ctx.spans
    .map((s, i) => ({ s, distance: Math.abs(lengths[i]! - 18) }))
    .filter((_, i) => lengths[i]! >= 3)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 2)
    .map((x) => x.s);
  const size = `${n} sentence${n === 1 ? '' : 's'} of about ${Math.round(wordsPer)} words`;
  return {
    level: clampLevel(level),
    evidence: readable,
    shows: wordsPer > 45 || level < 4 ? size : `${size}, easy to follow`,
    lacks:
      wordsPer > 45
        ? 'The sentences are long and hard to follow: break them into shorter ones'
        : n < needed
          ? 'Too little to explain it: walk through it in a few sentences'
          : 'Structure it as what it is, how it works, and when to use it',
  };
};
