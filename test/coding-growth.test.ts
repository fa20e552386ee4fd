import { describe, expect, it } from 'vitest';
import { classOf, degreeOf, measureGrowth, slope, verdictOf } from '../src/coding/growth.js';
import { codingPack, loadCodingPack } from '../src/coding/pack.js';
import type { RunRequest, RunResult, Sandbox } from '../src/coding/types.js';

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

  const CLASSES = ['O(log n) or better', 'O(n) or O(n log n)', 'O(n^2)', 'O(n^3) or worse'];
  const rank = (text: string | null) => CLASSES.indexOf(text ?? '');
  const grows = (k: number) => [1024, 2048, 4096].map((n) => ({ n, ms: 5 * (n / 1024) ** k }));

  it.each(['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n L^2)'])(
    'never says a growth is within %s while naming a slower class, nor slower while naming its class or a faster one',
    (expected) => {
      const own = rank(classOf(Math.max(degreeOf(expected)!, 1)));
      for (let k = 0.5; k <= 3.5; k += 0.05) {
        const v = verdictOf(grows(k), expected);
        if (v.withinExpected) expect(rank(v.measured), `${k}: ${v.measured}`).toBeLessThanOrEqual(own);
        else expect(rank(v.measured), `${k}: ${v.measured}`).toBeGreaterThanOrEqual(Math.min(own + 1, CLASSES.length - 1));
      }
    },
  );

  it('reads an O(n) solution timed a little steep as O(n), and a clearly steeper one as O(n^2) held slower', () => {
    expect(verdictOf(grows(1.5), 'O(n)')).toMatchObject({ measured: 'O(n) or O(n log n)', withinExpected: true });
    expect(verdictOf(grows(1.9), 'O(n)')).toMatchObject({ measured: 'O(n^2)', withinExpected: false });
  });

  /**
   * A sandbox whose runs take `k`-power time in n; the first run at each size takes longer, as on a
   * busy machine, so that the first times grow as n^`first` (the same at n = 16,384).
   */
  function timedSandbox(k: number, first: number) {
    const seen = new Set<number>();
    const sizes: number[] = [];
    const sandbox: Sandbox = {
      async run(req: RunRequest): Promise<RunResult> {
        const n = (req.inputs[0] as { args: unknown[][] }).args[0]!.length;
        sizes.push(n);
        const ms = seen.has(n) ? 2 * (n / 1024) ** k : 2 * 16 ** k * (n / 16384) ** first;
        seen.add(n);
        return { status: 'ok', output: '', durationMs: ms, outcomes: req.inputs.map((_, index) => ({ index, ok: true, ms })) };
      },
      close: async () => {},
    };
    return { sandbox, sizes };
  }
  const pairSum = loadCodingPack().get('pair-sum')!;

  it('times the sizes again when the fit is close to the limit, and believes the better times', async () => {
    // A quadratic solution whose first timings a busy machine flattened to n^1.5.
    const { sandbox, sizes } = timedSandbox(2, 1.5);
    const growth = await measureGrowth(sandbox, pairSum, 'javascript', '');
    expect(growth).toMatchObject({ measured: 'O(n^2)', withinExpected: false });
    expect(sizes.length).toBeGreaterThan(new Set(sizes).size);
  });

  it('times each size once when the fit is clear', async () => {
    const { sandbox, sizes } = timedSandbox(2, 2);
    expect(await measureGrowth(sandbox, pairSum, 'javascript', '')).toMatchObject({ measured: 'O(n^2)', withinExpected: false });
    // The warm-up run and one run of each size.
    expect(sizes.length).toBe(new Set(sizes).size + 1);
  });
});
