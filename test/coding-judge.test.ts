import { describe, expect, it } from 'vitest';
import { compare, inputsFor, judge, type JudgedRun } from '../src/coding/judge.js';
import { loadCodingPack } from '../src/coding/pack.js';

const pack = loadCodingPack();
const pairSum = pack.get('pair-sum')!;
const all = [...pairSum.tests.visible, ...pairSum.tests.hidden];

/** A run whose values are the expected ones, except at `wrong` (a wrong answer) and `thrown` (an exception). */
function runOf(wrong: number[] = [], thrown: number[] = []): JudgedRun {
  return {
    status: 'ok',
    outcomes: all.map((t, index) =>
      thrown.includes(index)
        ? { index, ok: false, error: `TypeError at input ${JSON.stringify(t.input)}` }
        : { index, ok: true, value: wrong.includes(index) ? [9, 9] : t.expected },
    ),
  };
}

describe('the judge', () => {
  it('compares deep-equal, unordered, nested-unordered and float values', () => {
    expect(compare('exact', [1, [2, 3]], [1, [2, 3]])).toBe(true);
    expect(compare('exact', [1, 2], [2, 1])).toBe(false);
    expect(compare('exact', { a: 1, b: [1] }, { b: [1], a: 1 })).toBe(true);
    expect(compare('exact', 1, true)).toBe(false);
    expect(compare('unordered', [3, 1, 2], [1, 2, 3])).toBe(true);
    expect(compare('unordered', [1, 1, 2], [1, 2, 2])).toBe(false);
    expect(compare('unordered', [[1, 2], [3]], [[3], [1, 2]])).toBe(true);
    expect(compare('unordered', [[2, 1], [3]], [[3], [1, 2]])).toBe(false);
    expect(compare('unordered', null, [])).toBe(false);
    expect(compare('nested-unordered', [['b', 'a'], ['c']], [['c'], ['a', 'b']])).toBe(true);
    expect(compare('nested-unordered', [['a', 'a'], ['c']], [['c'], ['a']])).toBe(false);
    expect(compare('float', 2.5000001, 2.5, 1e-5)).toBe(true);
    expect(compare('float', 2.6, 2.5, 1e-5)).toBe(false);
    expect(compare('float', [null, 1.4999999], [null, 1.5], 1e-5)).toBe(true);
    expect(compare('float', '2.5', 2.5, 1e-5)).toBe(false);
  });

  it('counts visible and hidden tests passed, and a clean run of right answers passes', () => {
    const j = judge(pairSum, runOf(), 'submit');
    expect(j).toMatchObject({ passed: true, visible: { passed: 3, total: 3 }, hidden: { passed: 8, total: 8 } });
    expect(inputsFor(pairSum, 'run')).toHaveLength(3);
    expect(judge(pairSum, runOf(), 'run')).toMatchObject({ passed: true, hidden: { passed: 0, total: 0 } });
  });

  it('shows the candidate a failed visible test in full, and of a hidden one only that it failed', () => {
    const hiddenWrong = 3; // the "duplicates" edge case
    const hiddenThrown = 5; // the "negatives" edge case
    const j = judge(pairSum, runOf([0, hiddenWrong], [hiddenThrown]), 'submit');
    expect(j.passed).toBe(false);
    expect(j.visible).toEqual({ passed: 2, total: 3 });
    expect(j.hidden).toEqual({ passed: 6, total: 8 });
    expect(j.tests[0]).toMatchObject({ hidden: false, passed: false, reason: 'wrong_answer', got: [9, 9], expected: [2, 3] });
    expect(j.tests[hiddenWrong]).toEqual({ index: hiddenWrong, hidden: true, passed: false, reason: 'wrong_answer' });
    expect(j.tests[hiddenThrown]).toEqual({ index: hiddenThrown, hidden: true, passed: false, reason: 'error' });
    const seen = JSON.stringify(j.tests);
    for (const t of pairSum.tests.hidden) expect(seen).not.toContain(JSON.stringify((t.input as { args: unknown[] }).args[0]));
    expect(j.interviewer.failedEdgeCases.map((e) => e.id)).toEqual(['duplicates', 'negatives']);
    expect(j.interviewer.failedHidden.map((f) => f.edge)).toEqual(['duplicates', 'negatives']);
  });

  it('marks the tests after a timeout as not run, and the run as failed', () => {
    const r = runOf();
    const j = judge(pairSum, { status: 'timeout', outcomes: r.outcomes.slice(0, 4), error: 'Your code ran for more than 5 s.' }, 'submit');
    expect(j.passed).toBe(false);
    expect(j.error).toMatch(/more than 5 s/);
    expect(j.tests.slice(4).every((t) => t.reason === 'not_run')).toBe(true);
  });
});
