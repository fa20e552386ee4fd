import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { inputsFor, judge } from '../src/coding/judge.js';
import { growthOf, loadCodingPack, PROBLEMS_DIR, TestInputSchema, TOPICS, type Problem } from '../src/coding/pack.js';
import { createSandbox, type SandboxPool } from '../src/coding/sandbox/index.js';
import { LANGUAGES, type Language, type TestInput } from '../src/coding/types.js';

// Every problem's solutions run through the real sandbox (QuickJS and Pyodide): one sandbox for
// the file, and all the tests of a problem in one run() call.
const pack = loadCodingPack();
let sandbox: SandboxPool;
beforeAll(async () => {
  sandbox = createSandbox({ poolSize: 1 });
  await Promise.all([sandbox.warm('javascript'), sandbox.warm('python')]);
}, 120_000);
afterAll(() => sandbox.close());

const GROWTH_SIZES = [10, 100, 1000];
const LIMITS = { wallMs: 30_000, memoryMb: 256 };
const run = (language: Language, p: Problem, code: string, inputs: TestInput[]) =>
  sandbox.run({ language, code, entry: p.entry[language], inputs, limits: LIMITS });

/** The tests a run failed, with what came back, for a readable assertion message. */
function failures(p: Problem, r: Awaited<ReturnType<typeof run>>) {
  const j = judge(p, r, 'submit');
  const all = [...p.tests.visible, ...p.tests.hidden];
  return j.tests
    .filter((t) => !t.passed)
    .map((t) => ({
      test: t.index,
      name: all[t.index]!.name ?? all[t.index]!.edge,
      reason: t.reason,
      got: r.outcomes[t.index]?.value,
      error: r.outcomes[t.index]?.error ?? r.error,
    }));
}

/**
 * A solution that answers the visible tests from a table and returns null otherwise: for a
 * function, by its arguments; for a class, by the calls made so far on the instance.
 */
function hardCoded(p: Problem): string {
  if (p.kind === 'function') {
    const table = p.tests.visible.map((t) => [JSON.stringify((t.input as { args: unknown[] }).args), t.expected]);
    return `const ANSWERS = new Map(${JSON.stringify(table)});
function ${p.entry.javascript}(...args) {
  const key = JSON.stringify(args);
  return ANSWERS.has(key) ? ANSWERS.get(key) : null;
}`;
  }
  const table = p.tests.visible.flatMap((t) => {
    const calls = (t.input as { calls: [string, unknown[]][] }).calls;
    return calls.map((_, i) => [JSON.stringify(calls.slice(0, i + 1)), (t.expected as unknown[])[i]]);
  });
  return `const ANSWERS = new Map(${JSON.stringify(table)});
class ${p.entry.javascript} {
  constructor(...args) { this.log = [[${JSON.stringify(p.entry.javascript)}, args]]; }
${p.methods!.map((m) => `  ${m}(...args) { this.log.push([${JSON.stringify(m)}, args]); const key = JSON.stringify(this.log); return ANSWERS.has(key) ? ANSWERS.get(key) : null; }`).join('\n')}
}`;
}

describe('the coding pack', () => {
  it('loads at least 30 problems, over every topic, with easy, medium and hard ones', () => {
    expect(pack.problems.length).toBeGreaterThanOrEqual(30);
    expect(pack.topics()).toEqual([...TOPICS]);
    for (const d of ['easy', 'medium', 'hard'] as const) expect(pack.find({ difficulty: d }).length).toBeGreaterThanOrEqual(3);
    expect(pack.find({ topic: 'design' }).every((p) => p.kind === 'class')).toBe(true);
    expect(pack.get('lru-cache')?.entry).toEqual({ javascript: 'LRUCache', python: 'LRUCache' });
    expect(pack.get('no-such-problem')).toBeUndefined();
  });

  it('names the file and the field when a problem file is broken', () => {
    const source = readFileSync(join(PROBLEMS_DIR, 'pair-sum.yaml'), 'utf8');
    const dirWith = (text: string, name = 'pair-sum.yaml') => {
      const dir = mkdtempSync(join(tmpdir(), 'problems-'));
      writeFileSync(join(dir, name), text);
      return dir;
    };
    expect(() => loadCodingPack(dirWith(source.replace('difficulty: easy', 'difficulty: trivial')))).toThrow(
      /pair-sum\.yaml: field "difficulty"/,
    );
    expect(() => loadCodingPack(dirWith(source.replace(/\n {2}- language: python\n[\s\S]*?(?=\nhints:)/, '')))).toThrow(
      /pair-sum\.yaml: field "wrong": needs at least one wrong python solution/,
    );
    expect(() => loadCodingPack(dirWith(source.replace('edge: self-pair', 'edge: selfpair')))).toThrow(
      /pair-sum\.yaml: field "tests\.hidden\.1\.edge": "selfpair" is not one of edgeCases/,
    );
    expect(() => loadCodingPack(dirWith(source.replace('growth: |\n  (n) => {', 'growth: |\n  (n) => {{')))).toThrow(
      /pair-sum\.yaml: coding problem pair-sum: field "growth": does not compile/,
    );
    expect(() => loadCodingPack(dirWith(source, 'two-sum.yaml'))).toThrow(/two-sum\.yaml: field "id": must match the file name/);
  });

  it('reads the large tests (JSON on one line) to the same values as the YAML parser', () => {
    for (const id of ['pair-sum', 'lru-cache', 'tree-levels']) {
      const raw = parseYaml(readFileSync(join(PROBLEMS_DIR, `${id}.yaml`), 'utf8')) as Problem;
      const large = pack.get(id)!.tests.hidden.find((t) => t.edge === 'large')!;
      expect(large.input).toEqual(raw.tests.hidden.find((t) => t.edge === 'large')!.input);
      expect(large.expected).toEqual(raw.tests.hidden.find((t) => t.edge === 'large')!.expected);
    }
  });

  it('has hidden tests on every named edge case, and at least six of them per problem', () => {
    for (const p of pack.problems) {
      expect(p.tests.hidden.length, p.id).toBeGreaterThanOrEqual(6);
      const covered = new Set(p.tests.hidden.map((t) => t.edge));
      expect(
        p.edgeCases.filter((e) => !covered.has(e.id)).map((e) => e.id),
        p.id,
      ).toEqual([]);
    }
  });

  it.each(pack.problems.map((p) => [p.id, p] as const))('%s: the growth generator gives valid inputs for n = 10, 100, 1000', (_, p) => {
    const grow = growthOf(p);
    for (const n of GROWTH_SIZES) {
      const input = grow(n);
      expect(TestInputSchema.safeParse(input).success).toBe(true);
      if (p.kind === 'class') expect('calls' in input && input.calls[0]![0]).toBe(p.entry.javascript);
      else expect('args' in input && input.args.length).toBeGreaterThan(0);
    }
    expect(JSON.stringify(grow(100))).toBe(JSON.stringify(grow(100)));
  });
});

describe.each(LANGUAGES)('the %s solutions, run in the sandbox', (language) => {
  it.each(pack.problems.map((p) => [p.id, p] as const))(
    '%s: the reference passes every visible and hidden test, and runs on the growth inputs',
    async (_, p) => {
      const inputs = inputsFor(p, 'submit');
      const growth = GROWTH_SIZES.map(growthOf(p));
      const r = await run(language, p, p.reference[language], [...inputs, ...growth]);
      expect(r.status, r.error).toBe('ok');
      expect(failures(p, r)).toEqual([]);
      const grown = r.outcomes.slice(inputs.length);
      expect(grown.map((o) => o.error ?? 'ok')).toEqual(GROWTH_SIZES.map(() => 'ok'));
    },
    60_000,
  );

  const wrong = pack.problems.flatMap((p) =>
    p.wrong.filter((w) => w.language === language).map((w) => [p.id, w.kind, w.why, p, w] as const),
  );

  it.each(wrong.filter(([, kind]) => kind === 'incorrect'))('%s: a wrong solution (%s: %s) fails at least one test', async (...args) => {
    const [, , , p, w] = args;
    const r = await run(language, p, w.code, inputsFor(p, 'submit'));
    expect(judge(p, r, 'submit').passed).toBe(false);
  });

  // Too slow: correct but grows worse than the problem's complexity. The growth measurement catches
  // those; here they only have to be right on the small visible tests (an exponential one times out
  // on the hidden ones, so it is not run on them).
  it.each(wrong.filter(([, kind]) => kind === 'too_slow'))(
    '%s: a too-slow solution (%s: %s) is right on the visible tests',
    async (...args) => {
      const [, , , p, w] = args;
      const r = await run(language, p, w.code, inputsFor(p, 'run'));
      expect(judge(p, r, 'run').passed, JSON.stringify(r.outcomes)).toBe(true);
    },
  );
});

describe('a solution that hard-codes the visible answers', () => {
  it.each(pack.problems.map((p) => [p.id, p] as const))('%s: passes the visible tests and fails hidden ones', async (_, p) => {
    const r = await run('javascript', p, hardCoded(p), inputsFor(p, 'submit'));
    const j = judge(p, r, 'submit');
    expect(j.visible.passed).toBe(j.visible.total);
    expect(j.hidden.passed).toBeLessThan(j.hidden.total);
  });
});
