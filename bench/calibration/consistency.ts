import { support } from '../../src/grading/analysis.js';
import type { Grade } from '../../src/grading/grade.js';
import { injectionSpans, withoutSpans } from '../../src/grading/injection.js';
import { claims } from '../../src/grading/reference.js';
import type { Rubric } from '../../src/grading/rubrics.js';

/**
 * The card-consistency check, run over every grade of the calibration set: the words of a card
 * must not contradict its scores. Written apart from the graders' own rules (card.ts), from what a
 * candidate would catch:
 * - a covered point the answer does not say (less than a third of its words in the answer);
 * - a missed point the answer plainly says (more than 70 % of its words in it);
 * - a Strength from a criterion below 4, or a "To improve" line from a criterion at 4 or 5;
 * - a comment outside its score band: praise next to 1–2, a deficiency next to 4–5;
 * - "Covers k of n key points" that does not match the covered and missed lists;
 * - a figure quoted for the result that is not in the answer;
 * - a heading, a code caption or a link counted as a key point;
 * - a story flagged off-theme that is said to show the principle the question asks about.
 */

/** Words that say something is missing or wrong. */
const DEFICIENT =
  /\b(no|not|without|missing|lacks?|none|never|only|vague|generic|too (short|little|long|briefly)|hard to follow|does not|doesn't|don't|isn't|add|name the|say (what|how)|put (a|targets)|weigh the)\b/i;
/** Words that praise. */
const PRAISE = /\b(clear(ly)?|strong|excellent|good|well|easy to follow|covers all|complete|thorough|quantified)\b/i;
const CAPTION = /^(code|sample|example|snippet|listing|figure|table)\b[^.]*$|:$|https?:\/\//i;

export function cardViolations(
  grade: Grade,
  written: string,
  rubric: Rubric,
  question: { leadershipPrinciples?: readonly string[]; signals?: readonly string[]; referenceAnswer?: string } = {},
): string[] {
  const out: string[] = [];
  // What the card is about: the answer without the sentences it addressed to the grader.
  const answer = withoutSpans(written, injectionSpans(written));
  const targeted = question.leadershipPrinciples ?? [];
  const reference = question.referenceAnswer ?? '';
  // A signal is a description of behaviour ("Describes the complexity concretely"), said in other words.
  const enough = (p: string) => ((question.signals ?? []).includes(p) ? 0.25 : 1 / 3);
  const byName = new Map(rubric.criteria.map((c) => [c.name, c.id]));
  const score = new Map(grade.criteria.map((c) => [c.id, c.score]));
  // A point shown cut short ("…") is checked in full, as the grader read it.
  const full = (p: string) => (p.endsWith('…') ? (claims(reference).find((c) => c.startsWith(p.slice(0, -1).trimEnd())) ?? p) : p);
  for (const p of grade.coveredPoints) {
    if (support(full(p), answer) < enough(p)) out.push(`covered point not in the answer: "${p}"`);
    if (CAPTION.test(p)) out.push(`a caption or heading as a key point: "${p}"`);
  }
  for (const p of grade.missedPoints) {
    if (support(full(p), answer) > 0.7) out.push(`missed point the answer says: "${p}"`);
    if (CAPTION.test(p)) out.push(`a caption or heading as a key point: "${p}"`);
  }
  const lineScore = (line: string) => {
    const name = line.split(':')[0]!;
    const id = byName.get(name);
    return id === undefined ? undefined : score.get(id);
  };
  for (const s of grade.strengths) {
    const v = lineScore(s);
    if (v !== undefined && (v ?? 0) < 4) out.push(`strength from a criterion at ${v}: "${s}"`);
  }
  for (const s of grade.improvements) {
    const v = lineScore(s);
    if (v !== undefined && (v ?? 0) >= 4) out.push(`improvement from a criterion at ${v}: "${s}"`);
  }
  for (const c of grade.criteria) {
    // The comment before any note of a cap, which says why the score is lower.
    // The figures quoted for a result are checked against the answer below, not read as words.
    const said = c.feedback
      .replace(/Quantified: [^.]*\./, 'Quantified.')
      .split(/\b(Capped at|Held to|No sentence of the answer shows it)\b/)[0]!
      .replace(/"[^"]*"|“[^”]*”/g, '"…"');
    if ((c.score ?? 0) >= 4 && DEFICIENT.test(said)) out.push(`${c.id} at ${c.score} says "${said.trim()}"`);
    if ((c.score ?? 0) <= 2 && PRAISE.test(said)) out.push(`${c.id} at ${c.score} says "${said.trim()}"`);
    const count = /Covers (\d+|none) of the (\d+) key points?/.exec(c.feedback);
    if (count) {
      const k = count[1] === 'none' ? 0 : Number(count[1]);
      if (k !== grade.coveredPoints.length || Number(count[2]) !== grade.coveredPoints.length + grade.missedPoints.length) {
        out.push(`"${count[0]}" against ${grade.coveredPoints.length} covered and ${grade.missedPoints.length} missed`);
      }
    }
    if (c.id === 'result') {
      const figures = /Quantified: ([^.]*)\./.exec(c.feedback)?.[1]?.split(', ') ?? [];
      for (const f of figures) if (!answer.toLowerCase().includes(f.toLowerCase())) out.push(`result figure "${f}" not in the answer`);
    }
  }
  if (grade.flags.includes('off_theme')) {
    for (const p of grade.leadershipPrinciples) if (targeted.includes(p.name)) out.push(`off-theme story said to show ${p.name}`);
  }
  return out;
}
