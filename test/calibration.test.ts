import { describe, expect, it } from 'vitest';
import { calibration } from '../bench/grading.js';

/** The calibration set (bench/calibration): the same checks `npm run bench:grading` reports. */
describe('the calibration set', async () => {
  const { offline, llm } = await calibration();
  const failed = (checks: Array<{ held: boolean; questionId: string; name: string; detail: string }>) =>
    checks.filter((c) => !c.held).map((c) => `${c.questionId}: ${c.name} (${c.detail})`);

  it('ranks strong > partial > vague > off-topic for every question, offline', () => {
    expect(offline.orderings.total).toBe(24);
    expect(failed(offline.orderings.checks)).toEqual([]);
  });

  it('keeps every adversarial answer under the answer it must stay under, offline', () => {
    expect(offline.bounds.total).toBeGreaterThan(150);
    expect(failed(offline.bounds.checks)).toEqual([]);
  });

  it('with a model that obeys any instruction, no injection lifts an answer more than 5 points, and each is flagged', () => {
    const injections = llm.bounds.checks.filter((c) => c.name.includes('injection'));
    expect(injections.length).toBe(144);
    expect(failed(injections)).toEqual([]);
  });
});
