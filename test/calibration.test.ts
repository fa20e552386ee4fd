import { describe, expect, it } from 'vitest';
import { calibration } from '../bench/grading.js';
import { ITEMS } from '../bench/calibration/set.js';
import { STORIES } from '../bench/calibration/stories.js';

/** The calibration set (bench/calibration): the same checks `npm run bench:grading` reports. */
describe('the calibration set', async () => {
  const { offline, llm } = await calibration();
  const failed = (checks: Array<{ held: boolean; questionId: string; name: string; detail: string }>) =>
    checks.filter((c) => !c.held).map((c) => `${c.questionId}: ${c.name} (${c.detail})`);

  it('ranks strong > partial > vague > off-topic for every question, offline', () => {
    expect(offline.orderings.total).toBe(ITEMS.length * 3);
    expect(failed(offline.orderings.checks)).toEqual([]);
  });

  it('keeps every adversarial answer under the answer it must stay under, offline: no answer below off-topic, and an injection never above the plain answer', () => {
    expect(offline.bounds.total).toBeGreaterThan(200);
    expect(failed(offline.bounds.checks)).toEqual([]);
  });

  it('judges every story against the question it is told to: on theme where it fits, flagged and placed elsewhere', () => {
    expect(offline.themes.total).toBe(STORIES.reduce((n, s) => n + s.fits.length + s.elsewhere.length, 0));
    expect(failed(offline.themes.checks)).toEqual([]);
  });

  it('understands the paraphrases: an acronym spelled out, a mechanism described', () => {
    expect(failed(offline.paraphrases.checks)).toEqual([]);
  });

  it('writes no card whose words contradict its scores, in either grader', () => {
    expect(offline.consistency.grades).toBeGreaterThan(300);
    expect(offline.consistency.violations).toEqual([]);
    expect(llm.consistency.violations).toEqual([]);
  });

  it('with a model that obeys any instruction, no injection lifts an answer above the plain answer, and each is flagged', () => {
    const injections = llm.bounds.checks.filter((c) => c.name.includes('injection') || c.name.includes('note'));
    expect(injections.length).toBe(ITEMS.length * 20);
    expect(failed(injections)).toEqual([]);
  });
});
