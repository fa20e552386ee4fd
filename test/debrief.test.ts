import { describe, expect, it } from 'vitest';
import { Bank } from '../src/bank/bank.js';
import { readBankDir } from '../src/bank/load.js';
import type { Grade } from '../src/grading/grade.js';
import { loadRubrics } from '../src/grading/rubrics.js';
import { buildDebrief, strongestAndWeakest } from '../src/interview/debrief.js';
import { RUBRICS_DIR } from '../src/start.js';

const rubrics = loadRubrics(RUBRICS_DIR);
const bank = new Bank(readBankDir());

/** A graded STAR answer with the given criterion scores. */
function starGrade(scores: Record<string, number>): Grade {
  return {
    questionId: 'lp-ownership-1',
    rubricId: 'star',
    grader: { kind: 'offline' },
    score: 50,
    overall: 3,
    verdict: 'lean_no_hire',
    criteria: Object.entries(scores).map(([id, score]) => ({ id, score, evidence: [], feedback: '' })),
    leadershipPrinciples: [],
    coveredPoints: [],
    missedPoints: [],
    strengths: [],
    improvements: [],
    flags: [],
  };
}

describe('the debrief', () => {
  it('never lists a criterion as both strongest and weakest, whatever its average', () => {
    for (const middle of [1, 2, 3, 4, 5]) {
      const grade = starGrade({ situation_task: 5, action: middle, result: 1, leadership_principles: 3, reflection: 4 });
      const d = buildDebrief({ questions: [{ question: bank.require('lp-ownership-1'), state: 'graded', grade }], rubrics });
      const name = (line: string) => line.split(':')[0];
      const overlap = d.strongest.map(name).filter((n) => d.weakest.map(name).includes(n));
      expect(overlap, `action at ${middle}/5`).toEqual([]);
    }
  });

  it('puts a criterion at 3/5 in neither list', () => {
    const grade = starGrade({ situation_task: 3, action: 3, result: 3, leadership_principles: 3, reflection: 3 });
    const d = buildDebrief({ questions: [{ question: bank.require('lp-ownership-1'), state: 'graded', grade }], rubrics });
    expect(d.strongest).toEqual([]);
    expect(d.weakest).toEqual([]);
  });

  it('names the criteria a tie leaves out instead of picking one silently', () => {
    const ranked = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ n, average: 4 }));
    const { strongest } = strongestAndWeakest(ranked, (c) => c.n);
    expect(strongest).toEqual(['a: 4/5', 'b: 4/5', 'c: 4/5', 'Tied at 4/5 with the above: d, e']);
  });
});
