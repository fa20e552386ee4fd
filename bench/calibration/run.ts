import type { Bank } from '../../src/bank/bank.js';
import type { Grade } from '../../src/grading/grade.js';
import { adversarial, ITEMS, ORDER } from './set.js';

export interface Check {
  questionId: string;
  name: string;
  held: boolean;
  detail: string;
}

export interface CalibrationReport {
  orderings: { held: number; total: number; checks: Check[] };
  bounds: { held: number; total: number; checks: Check[] };
}

export type GradeFn = (questionId: string, answer: string) => Promise<Grade>;

/**
 * Grades the calibration set and checks, per question, that strong > partial > vague > off-topic
 * and that every adversarial answer stays under the answer it must stay under (an injection at
 * most 5 points above the same answer without it, and flagged).
 */
export async function runCalibration(grade: GradeFn, bank: Bank): Promise<CalibrationReport> {
  const orderings: Check[] = [];
  const bounds: Check[] = [];
  for (const item of ITEMS) {
    const q = bank.require(item.questionId);
    const scores = new Map<string, number>();
    const scoreOf = async (answer: string) => {
      const known = scores.get(answer);
      if (known !== undefined) return { score: known, flags: [] as string[] };
      const g = await grade(item.questionId, answer);
      scores.set(answer, g.score);
      return { score: g.score, flags: g.flags as string[] };
    };
    const ordered = [];
    for (const name of ORDER) ordered.push({ name, score: (await scoreOf(item[name])).score });
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
      const under = (await scoreOf(adv.underAnswer)).score;
      const got = await grade(item.questionId, adv.answer);
      const withinBound = adv.margin === 0 ? got.score < under : got.score <= under + adv.margin;
      const flagged = !adv.injection || got.flags.includes('prompt_injection');
      bounds.push({
        questionId: item.questionId,
        name: `${adv.name} ${adv.margin ? `≤ ${adv.under} + ${adv.margin}` : `< ${adv.under}`}${adv.injection ? ', flagged' : ''}`,
        held: withinBound && flagged,
        detail: `${got.score} vs ${under}${flagged ? '' : ' (not flagged)'}`,
      });
    }
  }
  const summary = (checks: Check[]) => ({ held: checks.filter((c) => c.held).length, total: checks.length, checks });
  return { orderings: summary(orderings), bounds: summary(bounds) };
}
