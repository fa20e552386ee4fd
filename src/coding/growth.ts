import { growthOf, type Problem } from './pack.js';
import type { Growth } from './results.js';
import type { Language, Sandbox } from './types.js';

/** The sizes a solution is timed at: doubling, until a run takes long enough to measure (or the budget is spent). */
const FIRST_N = 64;
const LAST_N = 16_384;
/** A size whose run takes this long is enough: the larger ones would only cost time. */
const ENOUGH_MS = 150;
/** The whole measurement's wall time at most (the sandbox's own limit bounds each run). */
const BUDGET_MS = 4000;
/** Times under this are noise (timer resolution, a warm cache), not growth. */
const MEASURABLE_MS = 2;
const REPEATS = 3;

/**
 * The exponent of the input's size a complexity in the big-O notation stands for, read leniently
 * (an upper bound is safe: a solution is held slower only above it): each size factor counts 1
 * ("O(r c)", "O(n * L)" 2), a logarithm a little ("O(n log k)" about 1.15), the largest term of a
 * sum counts, and a cost "per call" of a class is paid once per call of the n the growth makes.
 * Undefined when it does not read.
 */
export function degreeOf(bigO: string): number | undefined {
  const first = /O\(((?:[^()]|\([^()]*\))*)\)/i.exec(bigO);
  if (!first) return undefined;
  const perCall = /\bper\b/i.test(bigO.slice(first.index + first[0].length)) ? 1 : 0;
  const inner = first[1]!.toLowerCase().replace(/log\s*\(?\s*([a-z]\w*)\s*\)?/g, 'log($1)');
  if (/\^\s*[a-z]|!/.test(inner)) return Infinity;
  let degree: number | undefined;
  for (const term of inner.split('+')) {
    let d = 0;
    for (const factor of term.split(/[\s*×·]+/).filter(Boolean)) {
      const power = /^([a-z]\w*)(?:\^(\d+))?$/.exec(factor);
      if (/^log\([a-z]\w*\)$/.test(factor)) d += 0.15;
      else if (/^\d+$/.test(factor)) d += 0;
      else if (power) d += Number(power[2] ?? 1);
      else return undefined;
    }
    degree = Math.max(degree ?? 0, d);
  }
  return degree === undefined ? undefined : degree + perCall;
}

/** What a fitted exponent reads as. */
export function classOf(exponent: number): string {
  if (exponent < 0.35) return 'O(log n) or better';
  if (exponent < 1.4) return 'O(n) or O(n log n)';
  if (exponent < 2.5) return 'O(n^2)';
  return 'O(n^3) or worse';
}

/**
 * The slope of log(ms) on log(n), robust to one noisy point (a shared machine's hiccup): the median
 * of the slopes between every two points (Theil–Sen).
 */
export function slope(points: { n: number; ms: number }[]): number {
  const slopes: number[] = [];
  points.forEach((a, i) => {
    for (const b of points.slice(i + 1)) slopes.push(Math.log(b.ms / a.ms) / Math.log(b.n / a.n));
  });
  slopes.sort((x, y) => x - y);
  const mid = slopes.length >> 1;
  return slopes.length % 2 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2;
}

/** How far above the expected exponent a measured one may be before it is held slower: timing on a shared machine is noisy. */
const TOLERANCE = 0.6;
/** A fit this close to the limit either way is measured again before it is believed. */
const CLOSE = 0.35;

/** The exponent a problem's expected complexity allows (O(n) at least: reading the input is linear), before the tolerance. */
function allowedExponent(expected: string): number | undefined {
  const degree = degreeOf(expected);
  return degree === undefined ? undefined : Math.max(degree, 1);
}

/**
 * What timed points say against the expected complexity: the fitted exponent, the class it reads
 * as, and whether it is within what the problem allows. The two never disagree: a growth within
 * the tolerance reads as the expected class at most (never "O(n^2)" beside "within O(n)"), one
 * held slower reads as the class it is.
 */
export function verdictOf(points: { n: number; ms: number }[], expected: string): Omit<Growth, 'points' | 'expected'> {
  const measurable = points.filter((p) => p.ms >= MEASURABLE_MS).slice(-3);
  if (measurable.length < 2) {
    // Too fast to tell at every size: it grows no faster than the inputs can show, which no solution above O(n) does at n = 16k.
    const allFast = points.length > 0 && points.at(-1)!.n === LAST_N;
    return { exponent: null, measured: allFast ? 'O(n) or better' : null, withinExpected: allFast ? true : null };
  }
  const exponent = Math.round(slope(measurable) * 100) / 100;
  const allowed = allowedExponent(expected);
  if (allowed === undefined) return { exponent, measured: classOf(exponent), withinExpected: null };
  const within = exponent <= allowed + TOLERANCE;
  return { exponent, measured: classOf(within ? Math.min(exponent, allowed) : exponent), withinExpected: within };
}

/**
 * Times a solution on the problem's growth inputs (n doubling from 64) in the sandbox, the best of
 * three runs each, and fits time ~ n^k on the sizes that took measurable time. A fit close to the
 * limit is timed once more at its sizes (the best of both kept), so one noisy moment does not
 * decide. The code is the candidate's, run like any other run; a size that fails or times out
 * ends the measurement.
 */
export async function measureGrowth(sandbox: Sandbox, problem: Problem, language: Language, code: string): Promise<Growth> {
  const make = growthOf(problem);
  const started = Date.now();
  const left = () => BUDGET_MS - (Date.now() - started);
  /** The best time of REPEATS runs at size n, or undefined when a run failed or the time ran out. */
  const time = async (n: number) => {
    const input = make(n);
    const run = await sandbox.run({
      language,
      code,
      entry: problem.entry[language],
      inputs: Array.from({ length: REPEATS }, () => input),
      limits: { wallMs: Math.max(500, left()) },
    });
    const times = run.outcomes.filter((o) => o.ok).map((o) => o.ms);
    return run.status === 'ok' && times.length === REPEATS ? Math.min(...times) : undefined;
  };
  // Not counted: a worker's first runs of a piece of code are slower than the ones after.
  await sandbox.run({ language, code, entry: problem.entry[language], inputs: [make(FIRST_N)] });
  const points: { n: number; ms: number }[] = [];
  for (let n = FIRST_N; n <= LAST_N && left() > 0; n *= 2) {
    const ms = await time(n);
    if (ms === undefined) break;
    points.push({ n, ms });
    if (ms >= ENOUGH_MS) break;
  }
  const expected = problem.complexity.time;
  let verdict = verdictOf(points, expected);
  const allowed = allowedExponent(expected);
  if (verdict.exponent !== null && allowed !== undefined && Math.abs(verdict.exponent - (allowed + TOLERANCE)) < CLOSE) {
    for (const p of points.filter((x) => x.ms >= MEASURABLE_MS).slice(-3)) {
      if (left() <= 0) break;
      const ms = await time(p.n);
      if (ms !== undefined) p.ms = Math.min(p.ms, ms);
    }
    verdict = verdictOf(points, expected);
  }
  return { points, expected, ...verdict };
}
