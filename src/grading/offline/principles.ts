import { type Span } from '../text.js';
import type { ScoringContext } from './context.js';
import { PRINCIPLE_WORDS } from './lexicon.js';
import { facetsFound, showsTheme, THEMES } from './themes.js';

const single = (re: RegExp) => new RegExp(re.source, re.flags.replace('g', ''));

/**
 * Leadership Principles the answer shows in the first person: for each, the first sentence where
 * the candidate ("I") does something the principle is about. The question's own principles
 * first. A story shows a principle only when it tells most of what a story on the principle's
 * theme tells (a story that says "I learned" is not thereby about curiosity); a company answer,
 * which tells no story, by the principle's words.
 */
export function principleEvidence(ctx: ScoringContext, max = 4): Array<{ name: string; span: Span }> {
  const out: Array<{ name: string; span: Span }> = [];
  const mine = ctx.spans.filter((s) => /\bI\b/.test(s.text));
  for (const [name, re] of Object.entries(PRINCIPLE_WORDS)) {
    const patterns =
      ctx.kind === 'star'
        ? THEMES.filter((t) => t.principles.includes(name)).flatMap((t) => {
            const found = facetsFound(ctx.answer, t);
            return found.length / t.facets.length >= 0.5 && showsTheme(ctx.answer, t).length ? found.map((f) => single(f.re)) : [];
          })
        : [single(re)];
    const span = mine.find((s) => patterns.some((p) => p.test(s.text)));
    if (span) out.push({ name, span });
  }
  const targeted: string[] = ctx.input.leadershipPrinciples ?? [];
  // A story told to another question shows none of this question's principles, whatever its words.
  if (ctx.flags.includes('off_theme')) return out.filter((x) => !targeted.includes(x.name)).slice(0, max);
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
