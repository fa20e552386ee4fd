import { sentences, type Span } from '../grading/text.js';

/**
 * Follow-ups that dig into the candidate's own story: the offline interviewer quotes what they
 * said before asking what is missing in it ("You said 'we migrated the database': what did you
 * personally do?"). Which words are quoted depends on the gap: for what the candidate did, a
 * sentence that says "we"; for the result, the last thing they say they did; for the situation,
 * where the story starts; otherwise the most specific sentence not quoted yet.
 */

/** At most this many words of a sentence are quoted. */
const QUOTE_WORDS = 12;

const WE = /\b(we|our team|the team)\b/i;
const DID = /\b(i|we)\s+(\w+ed|built|wrote|made|led|ran|took|found|chose|set|put|got|drove|shipped)\b/i;
const SPECIFIC = /\d|\b[A-Z][a-zA-Z]+[A-Z0-9]\w*\b|\b[A-Z]{2,}\b/g;

function clip(text: string, from: number): string {
  const words = text
    .slice(from)
    .replace(/[.!?]+$/, '')
    .trim()
    .split(/\s+/);
  return words.length > QUOTE_WORDS ? `${words.slice(0, QUOTE_WORDS).join(' ')}…` : words.join(' ');
}

/** The candidate's words to quote for a gap, or null when nothing fits (too short, or all quoted already). */
export function anchorQuote(answers: string, gap: string, asked: readonly string[]): string | null {
  const spans = sentences(answers).filter(
    (s: Span) => s.text.split(/\s+/).length >= 4 && !asked.some((a) => a.includes(clip(s.text, 0).slice(0, 30))),
  );
  if (!spans.length) return null;
  const pick = (s: Span | undefined, at = 0) => (s ? clip(s.text, at) : null);
  if (gap === 'action' || gap === 'bar.influence') {
    const we = spans.find((s) => WE.test(s.text));
    if (we) return pick(we, we.text.search(WE));
  }
  if (gap === 'result' || gap === 'reflection' || gap === 'bar.impact')
    return pick([...spans].reverse().find((s) => DID.test(s.text)) ?? spans.at(-1));
  if (gap === 'situation_task' || gap === 'bar.scope' || gap === 'bar.ambiguity') return pick(spans[0]);
  const specific = [...spans].sort((a, b) => (b.text.match(SPECIFIC)?.length ?? 0) - (a.text.match(SPECIFIC)?.length ?? 0))[0];
  return pick(specific);
}

/** A follow-up anchored on the candidate's words: the quote, then the probe. */
export function anchored(quote: string | null, probe: string): string {
  return quote ? `You said "${quote}". ${probe}` : probe;
}

/**
 * For a question made from the résumé: a claim of the résumé to quote back, one no follow-up of
 * this question quoted yet, those the candidate has not talked about first (a figure or a named
 * thing of it is not in their answers), then those with figures. Null when all were quoted.
 */
export function resumeQuote(claims: readonly string[], answers: string, asked: readonly string[]): string | null {
  const said = answers.toLowerCase();
  const untold = (c: string) => ((c.match(SPECIFIC) ?? []).some((x) => !said.includes(x.toLowerCase())) ? 0 : 1);
  const figures = (c: string) => (/\d/.test(c) ? 0 : 1);
  const open = claims
    .map((c, i) => ({ c, i, quote: clip(c, 0) }))
    .filter((x) => !asked.some((a) => a.includes(x.quote.slice(0, 30))))
    .sort((a, b) => untold(a.c) - untold(b.c) || figures(a.c) - figures(b.c) || a.i - b.i);
  return open[0]?.quote ?? null;
}

/** A follow-up anchored on the résumé: its claim, then the probe. */
export const resumeAnchored = (quote: string, probe: string) => `Your résumé says "${quote}". ${probe}`;
