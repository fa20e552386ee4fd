import { type Span } from '../../text.js';
import { hits, markerLevel, type Scorer } from '../context.js';
import { principleEvidence } from '../principles.js';

/**
 * STAR: the story shows what the question is about. For "a time you failed" that is what went
 * wrong, the candidate's own accountability and what changed after; for the Leadership
 * Principles pack, the signals an interviewer listens for. The example story in the guide counts
 * neither for nor against: only the theme does.
 */
export const leadershipPrinciples: Scorer = (ctx) => {
  const facets = ctx.themes.flatMap((t) => t.facets);
  const shown = facets.map((f) => ({ name: f.name, evidence: hits(ctx, f.re, 1) })).filter((f) => f.evidence.length);
  const signals = ctx.input.signals ?? [];
  const coveredSignals = ctx.content.points.filter((p) => signals.includes(p.text) && p.covered);
  const targeted = ctx.input.leadershipPrinciples ?? [];
  const lp = principleEvidence(ctx);
  const onTarget = lp.filter((x) => targeted.includes(x.name));
  const principles = targeted.length ? onTarget.length : lp.length;
  const n = shown.length + coveredSignals.length + Math.min(2, principles);
  const evidence: Span[] = [...shown.flatMap((f) => f.evidence), ...onTarget.map((x) => x.span)];
  const parts = [
    shown.length ? `shows ${shown.map((f) => f.name).join(', ')}` : '',
    signals.length && coveredSignals.length
      ? `covers ${coveredSignals.length} of the ${signals.length} signals interviewers listen for`
      : '',
    onTarget.length ? `shows the behaviour of ${onTarget.map((x) => x.name).join(', ')}` : '',
  ].filter(Boolean);
  const missing = facets.filter((f) => !shown.some((s) => s.name === f.name)).map((f) => f.name);
  return {
    level: markerLevel(n, [1, 2, 3, 4]),
    evidence: [...new Map(evidence.map((s) => [s.start, s])).values()].slice(0, 3),
    shows: parts.length ? `The story ${parts.join('; ')}` : '',
    lacks: missing.length
      ? `Missing: ${missing.join(', ')}`
      : parts.length
        ? 'Make the behaviour the question asks about more specific'
        : 'The story does not show what the question asks about',
  };
};
