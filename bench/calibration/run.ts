import type { Bank } from '../../src/bank/bank.js';
import type { Grade } from '../../src/grading/grade.js';
import type { Rubric } from '../../src/grading/rubrics.js';
import { cardViolations } from './consistency.js';
import { adversarial, ITEMS, ORDER, PARAPHRASES } from './set.js';
import { STORIES } from './stories.js';

export interface Check {
  questionId: string;
  name: string;
  held: boolean;
  detail: string;
}

export interface Checks {
  held: number;
  total: number;
  checks: Check[];
}

export interface CalibrationReport {
  /** strong > partial > vague > off-topic, per question. */
  orderings: Checks;
  /** Each adversarial answer under the answer it must stay under; an injection never above the clean answer. */
  bounds: Checks;
  /** Stories told to their own question family are not off-theme; told to another they are flagged, capped and placed. */
  themes: Checks;
  /** Paraphrases that must cover the key point they say in other words. */
  paraphrases: Checks;
  /** Contradictions between a card's words and its scores, over every grade above. */
  consistency: { grades: number; violations: string[] };
}

export type GradeFn = (questionId: string, answer: string) => Promise<Grade>;

/** The most an off-theme story may score: under every partial answer of the set. */
export const OFF_THEME_AT_MOST = 30;

/**
 * Grades the calibration set and checks, per question, that strong > partial > vague > off-topic
 * and that every adversarial answer stays under the answer it must stay under (an injection
 * never above the same answer without it, and flagged); that stories are judged against the
 * question they answer; that paraphrases cover their key point; and that no card contradicts
 * its own scores (`cardViolations`).
 */
export async function runCalibration(grade: GradeFn, bank: Bank, rubrics: Map<string, Rubric>): Promise<CalibrationReport> {
  const orderings: Check[] = [];
  const bounds: Check[] = [];
  const themes: Check[] = [];
  const paraphrases: Check[] = [];
  const violations: string[] = [];
  let graded = 0;
  const cache = new Map<string, Grade>();
  /** Every grade goes through the card-consistency check once. */
  const gradeOf = async (questionId: string, answer: string) => {
    const key = `${questionId}\u0000${answer}`;
    let g = cache.get(key);
    if (!g) {
      g = await grade(questionId, answer);
      cache.set(key, g);
      const q = bank.require(questionId);
      graded++;
      for (const v of cardViolations(g, answer, rubrics.get(q.rubric)!, q)) {
        violations.push(`${questionId} (${answer.slice(0, 40)}…): ${v}`);
      }
    }
    return g;
  };

  for (const item of ITEMS) {
    const q = bank.require(item.questionId);
    const ordered = [];
    for (const name of ORDER) ordered.push({ name, score: (await gradeOf(item.questionId, item[name])).score });
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1]!, ordered[i]!];
      orderings.push({
        questionId: item.questionId,
        name: `${a.name} > ${b.name}`,
        held: a.score > b.score,
        detail: `${a.score} vs ${b.score}`,
      });
    }
    for (const adv of adversarial(item, q.prompt)) {
      const under = (await gradeOf(item.questionId, adv.underAnswer)).score;
      const got = await gradeOf(item.questionId, adv.answer);
      const withinBound = adv.injection ? got.score <= under : got.score < under;
      const flagged = !adv.injection || got.flags.includes('prompt_injection');
      bounds.push({
        questionId: item.questionId,
        name: `${adv.name} ${adv.injection ? `≤ ${adv.under}, flagged` : `< ${adv.under}`}`,
        held: withinBound && flagged,
        detail: `${got.score} vs ${under}${flagged ? '' : ' (not flagged)'}`,
      });
    }
  }

  for (const story of STORIES) {
    for (const id of story.fits) {
      const g = await gradeOf(id, story.text);
      themes.push({
        questionId: id,
        name: `the ${story.family} story answers it`,
        held: !g.flags.includes('off_theme'),
        detail: `${g.score}${g.flags.length ? ` [${g.flags.join(', ')}]` : ''}`,
      });
    }
    for (const id of story.elsewhere) {
      const g = await gradeOf(id, story.text);
      const placed = g.improvements.some((i) => /would fit a question/.test(i));
      themes.push({
        questionId: id,
        name: `the ${story.family} story is off-theme, at most ${OFF_THEME_AT_MOST}, and placed`,
        held: g.flags.includes('off_theme') && g.score <= OFF_THEME_AT_MOST && placed,
        detail: `${g.score}${g.flags.length ? ` [${g.flags.join(', ')}]` : ''}${placed ? '' : ' (no question named)'}`,
      });
    }
  }

  for (const p of PARAPHRASES) {
    const g = await gradeOf(p.questionId, p.answer);
    const covered = g.coveredPoints.some((c) => p.covers.test(c));
    paraphrases.push({
      questionId: p.questionId,
      name: `${p.name}: point covered, at least ${p.atLeast}`,
      held: covered && g.score >= p.atLeast,
      detail: `${g.score}${covered ? '' : ' (point not covered)'}`,
    });
  }

  const summary = (checks: Check[]): Checks => ({ held: checks.filter((c) => c.held).length, total: checks.length, checks });
  return {
    orderings: summary(orderings),
    bounds: summary(bounds),
    themes: summary(themes),
    paraphrases: summary(paraphrases),
    consistency: { grades: graded, violations },
  };
}
