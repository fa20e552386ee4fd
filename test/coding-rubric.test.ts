import { describe, expect, it } from 'vitest';
import { gradeOffline } from '../src/grading/offline/index.js';
import { loadRubrics } from '../src/grading/rubrics.js';
import { RUBRICS_DIR } from '../src/start.js';

const rubric = loadRubrics(RUBRICS_DIR).get('coding')!;
const question = 'Given a list of integers and a target, return the positions of the two values that add up to the target.';
const referenceAnswer =
  'Keep a hash map from each value seen so far to its position. For each value, look up target minus the value in the map; if it is there, return both positions. One pass: O(n) time and O(n) space.';
const grade = (answer: string) => gradeOffline({ questionId: 'pair-sum', question, referenceAnswer, rubric, answer });
const criterion = (answer: string, id: string) => grade(answer).criteria.find((c) => c.id === id)!;

const strong =
  'I will keep a hash map from each value I have seen to its position, and for each new value look up target minus the value in the map. ' +
  'If the complement is there I return both positions, otherwise I store the value. That is one pass, so O(n) time and O(n) extra space for the map. ' +
  'Let me walk through the example: with 4, 9, 1, 6 and target 7, at 6 the complement 1 is in the map, so the answer is 2 and 3. ' +
  'Edge cases: an empty list has no pair, duplicates like 5 and 5 work because I look up before storing, and negative numbers need nothing special.';

describe('the coding rubric', () => {
  it('grades correctness, complexity, code quality, communication, and testing and edge cases, with a bar per level', () => {
    expect(rubric.kind).toBe('coding');
    expect(rubric.criteria.map((c) => c.id)).toEqual(['correctness', 'complexity', 'code_quality', 'communication', 'testing']);
    expect(Object.keys(rubric.bar ?? {})).toEqual(['tradeoffs', 'depth', 'scale']);
  });

  it('rates a stated complexity that matches the expected one above a wrong one, and no statement lowest', () => {
    const right = criterion(strong, 'complexity');
    const wrong = criterion(strong.replace('O(n) time and O(n) extra space', 'O(n^2) time and O(1) extra space'), 'complexity');
    const none = criterion(strong.replace('That is one pass, so O(n) time and O(n) extra space for the map. ', ''), 'complexity');
    expect(right.score).toBeGreaterThan(wrong.score!);
    expect(wrong.score ?? 0).toBeGreaterThan(none.score ?? 0);
  });

  it('rates an explanation that walks through examples and edge cases above one that names none', () => {
    const tested = criterion(strong, 'testing');
    const untested = criterion(strong.split('Let me walk through')[0]!, 'testing');
    expect(tested.score).toBeGreaterThan(untested.score ?? 0);
  });
});
