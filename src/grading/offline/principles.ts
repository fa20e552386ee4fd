import { type Span } from '../text.js';
import type { ScoringContext } from './context.js';
import { PRINCIPLE_WORDS } from './lexicon.js';

const single = (re: RegExp) => new RegExp(re.source, re.flags.replace('g', ''));

/**
 * Leadership Principles the answer shows in the first person: for each, the first sentence where
 * the candidate ("I") does something the principle is about. The question's own principles first.
 */
export function principleEvidence(ctx: ScoringContext, max = 4): Array<{ name: string; span: Span }> {
  const out: Array<{ name: string; span: Span }> = [];
  for (const [name, re] of Object.entries(PRINCIPLE_WORDS)) {
    const one = single(re);
    const span = ctx.spans.find((s) => one.test(s.text) && /\bI\b/.test(s.text));
    if (span) out.push({ name, span });
  }
  const targeted: string[] = ctx.input.leadershipPrinciples ?? [];
  return out.sort((a, b) => Number(targeted.includes(b.name)) - Number(targeted.includes(a.name))).slice(0, max);
}

/** Names of the principles the answer names outright ("Customer Obsession", "Bias for Action"). */
export function namedPrinciples(ctx: ScoringContext): { names: string[]; evidence: Span[] } {
  const patterns = Object.keys(PRINCIPLE_WORDS).map((p) => ({
    name: p,
    re: new RegExp(
      `\\b${p
        .split(/[;,]/)[0]!
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\s+/g, '\\s+')}`,
      'i',
    ),
  }));
  const named = patterns.filter((p) => p.re.test(ctx.answer));
  return { names: named.map((p) => p.name), evidence: ctx.spans.filter((s) => named.some((p) => p.re.test(s.text))).slice(0, 2) };
}
