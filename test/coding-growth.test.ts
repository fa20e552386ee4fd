import { describe, expect, it } from 'vitest';
import { classOf, degreeOf, slope } from '../src/coding/growth.js';
import { codingPack } from '../src/coding/pack.js';

describe('reading and measuring growth', () => {
  it.each([
    ['O(1)', 0],
    ['O(log n)', 0.15],
    ['O(n)', 1],
    ['O(n log n)', 1.15],
    ['O(n + e)', 1],
    ['O(r c)', 2],
    ['O(amount * k)', 2],
    ['O(n^2)', 2],
    ['O(n L^2)', 3],
    ['O(1) per call', 1],
    ['O(log n) per add, O(1) per median', 1.15],
    ['O(2^n)', Infinity],
  ])('reads %s as the exponent %s of the size the growth makes', (bigO, degree) => {
    expect(degreeOf(bigO)).toBeCloseTo(degree);
  });

  it("reads every problem's expected time complexity", () => {
    for (const p of codingPack().problems) expect(degreeOf(p.complexity.time), `${p.id}: ${p.complexity.time}`).toBeDefined();
  });

  it('fits the exponent past one noisy point, and names its class', () => {
    const quadratic = [256, 512, 1024, 2048].map((n) => ({ n, ms: (n / 100) ** 2 }));
    quadratic[1]!.ms *= 8; // a hiccup of the machine
    expect(slope(quadratic)).toBeGreaterThan(1.7);
    expect(classOf(slope(quadratic))).toBe('O(n^2)');
    expect(classOf(slope([1000, 2000, 4000].map((n) => ({ n, ms: n / 100 }))))).toBe('O(n) or O(n log n)');
  });
});
