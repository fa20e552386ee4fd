import { isDeepStrictEqual } from 'node:util';
import type { CompareMode, PackTestInput, Problem } from './pack.js';
import type { RunResult, TestOutcome } from './types.js';

/** The parts of the sandbox's RunResult the judge reads. */
export type JudgedOutcome = Pick<TestOutcome, 'index' | 'ok' | 'value' | 'error'>;
export type JudgedRun = Pick<RunResult, 'status' | 'error'> & { outcomes: JudgedOutcome[] };

/** `run`: the visible tests (the candidate's Run button); `submit`: visible then hidden. */
export type Scope = 'run' | 'submit';

/** The inputs to hand the sandbox, in the order `judge` expects its outcomes. */
export function inputsFor(problem: Problem, scope: Scope): PackTestInput[] {
  return testsFor(problem, scope).map((t) => t.input);
}

function testsFor(problem: Problem, scope: Scope) {
  const visible = problem.tests.visible.map((t) => ({ ...t, hidden: false }));
  return scope === 'run' ? visible : [...visible, ...problem.tests.hidden.map((t) => ({ ...t, hidden: true }))];
}

export type FailReason = 'wrong_answer' | 'error' | 'not_run';

/** A visible test: everything, so the candidate can debug it. */
export interface VisibleVerdict {
  index: number;
  hidden: false;
  name?: string;
  passed: boolean;
  input: PackTestInput;
  expected: unknown;
  got?: unknown;
  reason?: FailReason;
  error?: string;
}
/** A hidden test: whether it passed and why not, never its input, expected value, name or error text. */
export interface HiddenVerdict {
  index: number;
  hidden: true;
  passed: boolean;
  reason?: FailReason;
}

export interface Judgement {
  /** Every judged test passed and the run ended normally. */
  passed: boolean;
  status: JudgedRun['status'];
  /** For compile errors, timeouts, memory and crashes: the sandbox's message. */
  error?: string;
  visible: { passed: number; total: number };
  hidden: { passed: number; total: number };
  /** What the candidate sees. */
  tests: (VisibleVerdict | HiddenVerdict)[];
  /** For the interviewer only: the named edge cases the failed hidden tests cover (ask about them, do not reveal them). */
  interviewer: {
    failedEdgeCases: { id: string; name: string; ask: string }[];
    failedHidden: { index: number; name?: string; edge?: string; reason: FailReason; error?: string }[];
  };
}

/** Compares the sandbox's outcomes with the problem's expected values, test by test. */
export function judge(problem: Problem, run: JudgedRun, scope: Scope): Judgement {
  const tests = testsFor(problem, scope);
  const byIndex = new Map(run.outcomes.map((o) => [o.index, o]));
  const verdicts: Judgement['tests'] = [];
  const failedHidden: Judgement['interviewer']['failedHidden'] = [];
  const count = { visible: { passed: 0, total: 0 }, hidden: { passed: 0, total: 0 } };
  tests.forEach((t, index) => {
    const o = byIndex.get(index);
    const reason: FailReason | undefined = !o
      ? 'not_run'
      : !o.ok
        ? 'error'
        : matches(problem, o.value, t.expected)
          ? undefined
          : 'wrong_answer';
    const passed = reason === undefined;
    const c = t.hidden ? count.hidden : count.visible;
    c.total++;
    if (passed) c.passed++;
    if (t.hidden) {
      verdicts.push({ index, hidden: true, passed, ...(reason && { reason }) });
      if (reason) failedHidden.push({ index, name: t.name, edge: t.edge, reason, ...(o?.error && { error: o.error }) });
    } else {
      verdicts.push({
        index,
        hidden: false,
        name: t.name,
        passed,
        input: t.input,
        expected: t.expected,
        ...(o?.ok && { got: o.value }),
        ...(reason && { reason }),
        ...(o?.error && { error: o.error }),
      });
    }
  });
  const edges = new Set(failedHidden.map((f) => f.edge).filter(Boolean));
  return {
    passed: run.status === 'ok' && verdicts.every((v) => v.passed),
    status: run.status,
    ...(run.error && { error: run.error }),
    ...count,
    tests: verdicts,
    interviewer: { failedEdgeCases: problem.edgeCases.filter((e) => edges.has(e.id)), failedHidden },
  };
}

/** Whether a returned value counts as the expected one under the problem's compare mode. */
export function matches(problem: Pick<Problem, 'compare' | 'tolerance'>, got: unknown, expected: unknown): boolean {
  return compare(problem.compare, got, expected, problem.tolerance ?? 1e-6);
}

export function compare(mode: CompareMode, got: unknown, expected: unknown, tolerance = 1e-6): boolean {
  switch (mode) {
    case 'exact':
      return isDeepStrictEqual(normal(got), normal(expected));
    case 'unordered':
      return Array.isArray(got) && Array.isArray(expected) && isDeepStrictEqual(sorted(got.map(normal)), sorted(expected.map(normal)));
    case 'nested-unordered':
      return isDeepStrictEqual(canonical(got), canonical(expected));
    case 'float':
      return closeTo(got, expected, tolerance);
  }
}

/** JSON's view of a value: what crossed the sandbox boundary (undefined → null, -0 → 0). */
function normal(v: unknown): unknown {
  if (v === undefined) return null;
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(normal);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normal(x)]));
  return v;
}

const key = (v: unknown) => JSON.stringify(v);
const sorted = (xs: unknown[]) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** Lists sorted at every depth, so only their contents count. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return sorted(v.map(canonical));
  return normal(v);
}

function closeTo(got: unknown, expected: unknown, tolerance: number): boolean {
  if (typeof expected === 'number') {
    return typeof got === 'number' && Math.abs(got - expected) <= tolerance * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected)) {
    return Array.isArray(got) && got.length === expected.length && expected.every((e, i) => closeTo(got[i], e, tolerance));
  }
  return isDeepStrictEqual(normal(got), normal(expected));
}
