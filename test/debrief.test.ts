import { describe, expect, it } from 'vitest';
import { Bank } from '../src/bank/bank.js';
import { readBankDir } from '../src/bank/load.js';
import { type Grade, verdictFor } from '../src/grading/grade.js';
import { loadRubrics } from '../src/grading/rubrics.js';
import { buildDebrief, strongestAndWeakest } from '../src/interview/debrief.js';
import { RUBRICS_DIR } from '../src/start.js';
import { fakeGrade } from './helpers/grades.js';

const rubrics = loadRubrics(RUBRICS_DIR);
const bank = new Bank(readBankDir());

/** A graded STAR answer with the given criterion scores. */
function starGrade(scores: Record<string, number>): Grade {
  return fakeGrade({
    questionId: 'lp-ownership-1',
    rubricId: 'star',
    score: 50,
    overall: 3,
    verdict: 'lean_no_hire',
    criteria: Object.entries(scores).map(([id, score]) => ({ id, score, evidence: [], feedback: '' })),
  });
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

/** A grade at a score, with the verdict that score stands for. */
function graded(questionId: string, score: number, overrides: Partial<Grade> = {}) {
  const question = bank.require(questionId);
  const grade: Grade = {
    ...starGrade({}),
    questionId,
    rubricId: question.rubric,
    score,
    verdict: verdictFor(score),
    improvements: ['Action (what I did): say what you personally did.'],
    ...overrides,
  };
  return { question, state: 'graded', grade };
}
const decideFor = (...questions: ReturnType<typeof graded>[]) => buildDebrief({ questions, rubrics }).recommendation;

describe('how the debrief decides', () => {
  const disagree = 'lp-have-backbone-disagree-and-commit-1';

  it('does not average a behavioural No Hire away: Hire on the mean becomes Lean No Hire, and says which answer decided it', () => {
    const r = decideFor(graded('amazon-32', 95), graded('amazon-51', 92), graded('amazon-4', 90), graded(disagree, 18));
    expect(r.verdict).toBe('lean_no_hire');
    expect(r.decidedBy).toEqual([expect.objectContaining({ questionId: disagree, score: 18, verdict: 'no_hire' })]);
    expect(r.summary).toMatch(/strongly disagreed with your manager.*No Hire \(18\/100\).*not averaged away.*73\.8\/100 \(Hire\)/);
    expect(r.wouldChange).toMatch(/at Lean No Hire or better\. Action \(what I did\)/);
  });

  it('counts an answered question that gave no evidence at its score, and two blocks make No Hire', () => {
    const dontKnow = graded('lp-frugality-2', 0, { verdict: 'insufficient_evidence', flags: ['dont_know'] });
    const r = decideFor(graded('amazon-32', 95), graded('amazon-51', 92), graded(disagree, 30), dontKnow);
    expect(r.verdict).toBe('no_hire');
    expect(r.decidedBy!.map((d) => d.questionId)).toEqual([disagree, 'lp-frugality-2']);
    // Alone, and with the principle itself above the bar through another answer, it still blocks.
    const alone = decideFor(graded('amazon-32', 95), graded('amazon-51', 92), graded('lp-frugality-1', 90), dontKnow);
    expect(alone.verdict).toBe('lean_no_hire');
    expect(alone.decidedBy).toEqual([expect.objectContaining({ questionId: 'lp-frugality-2', verdict: 'no_hire' })]);
  });

  it('blocks Hire for a Leadership Principle whose answers average below the bar, even when no single story is a No Hire', () => {
    // Customer Obsession is asked by two company questions here: 40 and 43, 41.5 together.
    const r = decideFor(graded('amazon-32', 96), graded('amazon-51', 96), graded('amazon-4', 40), graded('amazon-7', 43));
    expect(verdictFor(mean([96, 96, 40, 43]))).toBe('hire');
    expect(r.verdict).toBe('lean_no_hire');
    expect(r.decidedBy).toEqual([expect.objectContaining({ questionId: 'amazon-4' })]);
    expect(r.decidedBy![0]!.why).toMatch(
      /Customer Obsession rated below the bar \(41\.5\/100 over 2 answers\); Earn Trust rated below the bar/,
    );
  });

  it('gives Strong Hire only when no answer is below Hire, and Hire on the mean when nothing blocks', () => {
    expect(decideFor(graded('amazon-32', 90), graded('amazon-51', 85), graded(disagree, 80)).verdict).toBe('strong_hire');
    const one = decideFor(graded('amazon-32', 95), graded('amazon-51', 95), graded(disagree, 61.9));
    expect(one.verdict).toBe('hire');
    expect(one.decidedBy).toEqual([expect.objectContaining({ questionId: disagree, verdict: 'lean_no_hire' })]);
    const hire = decideFor(graded('amazon-32', 70), graded(disagree, 62));
    expect(hire).toMatchObject({ verdict: 'hire', decidedBy: [] });
    expect(hire.wouldChange).toMatch(/mean of 80\/100 with every answer at Hire/);
  });

  it('keeps insufficient evidence when fewer than half the questions asked were answered', () => {
    const skipped = { question: bank.require('amazon-51'), state: 'skipped' };
    const r = buildDebrief({
      questions: [graded('amazon-32', 90), skipped, { ...skipped, question: bank.require('amazon-4') }],
      rubrics,
    }).recommendation;
    expect(r.verdict).toBe('insufficient_evidence');
  });

  it('names flags in words in the evidence', () => {
    const r = decideFor(graded('amazon-32', 30, { flags: ['too_short', 'off_theme'] }), graded('amazon-51', 70));
    expect(r.evidence[0]).toMatch(/flagged: too short, a story for another question$/);
  });
});

const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
