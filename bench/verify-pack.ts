/**
 * Throwaway check of the coding pack without the sandbox: JavaScript in node:vm, Python in python3.
 * Every reference passes every test in both languages, every wrong solution fails one (a too-slow
 * one grows worse than the reference), a solution hard-coding the visible answers fails hidden ones,
 * and the growth generators give inputs the references agree on.
 *   node --import tsx bench/verify-pack.ts [problem-id…]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { inputsFor, judge, matches, type JudgedRun } from '../src/coding/judge.js';
import { growthOf, loadCodingPack, type PackTestInput, type Problem } from '../src/coding/pack.js';

type Language = 'javascript' | 'python';
const HARNESS = fileURLToPath(new URL('./pack-harness.py', import.meta.url));

function runJs(code: string, entry: string, inputs: PackTestInput[]): JudgedRun & { ms: number } {
  const t0 = performance.now();
  let fn: any;
  try {
    fn = runInNewContext(`${code}\n;(${entry})`, {}, { timeout: 5000 });
  } catch (e) {
    return { status: 'compile_error', outcomes: [], error: String(e), ms: 0 };
  }
  const outcomes = inputs.map((inp, index) => {
    try {
      const ctx = { fn, inp, out: undefined as unknown };
      runInNewContext(
        `'args' in inp ? (out = fn(...inp.args)) : (() => { const o = new fn(...inp.calls[0][1]); out = [null, ...inp.calls.slice(1).map(([m, a]) => o[m](...a))]; })()`,
        ctx,
        { timeout: 10000 },
      );
      const v = ctx.out === undefined ? null : JSON.parse(JSON.stringify(ctx.out));
      return { index, ok: true, value: v };
    } catch (e) {
      return { index, ok: false, error: String(e) };
    }
  });
  return { status: 'ok', outcomes, ms: performance.now() - t0 };
}

function runPy(code: string, entry: string, inputs: PackTestInput[]): JudgedRun & { ms: number } {
  const t0 = performance.now();
  const r = spawnSync('python3', [HARNESS], {
    input: JSON.stringify({ code, entry, inputs }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 60000,
  });
  if (r.status !== 0) return { status: 'crashed', outcomes: [], error: r.stderr, ms: 0 };
  const out = JSON.parse(r.stdout);
  return { ...out, ms: out.outcomes.reduce((s: number, o: { ms: number }) => s + o.ms, 0) };
}

const run = (lang: Language, code: string, entry: string, inputs: PackTestInput[]) =>
  lang === 'javascript' ? runJs(code, entry, inputs) : runPy(code, entry, inputs);

function hardCoder(p: Problem): string {
  const table = p.tests.visible.map((t) => [JSON.stringify(t.input), t.expected]);
  if (p.kind === 'class') {
    return `class ${p.entry.javascript} { constructor() { throw new Error('hard-coded'); } }`;
  }
  return `const T = new Map(${JSON.stringify(table)}); function ${p.entry.javascript}(...args) { const k = JSON.stringify({ args }); return T.has(k) ? T.get(k) : null; }`;
}

const only = process.argv.slice(2);
const pack = loadCodingPack();
let failures = 0;
const fail = (msg: string) => {
  failures++;
  console.log('  FAIL ' + msg);
};
for (const p of pack.problems) {
  if (only.length && !only.includes(p.id)) continue;
  console.log(`${p.id} (${p.topic}, ${p.difficulty})`);
  const inputs = inputsFor(p, 'submit');
  const refMs: Record<string, number> = {};
  for (const lang of ['javascript', 'python'] as const) {
    const r = run(lang, p.reference[lang], p.entry[lang], inputs);
    const j = judge(p, r, 'submit');
    refMs[lang] = r.ms;
    if (!j.passed)
      fail(
        `${lang} reference: ${r.error ?? ''} ${JSON.stringify(j.tests.filter((t) => !t.passed).map((t) => ({ i: t.index, got: r.outcomes[t.index]?.value ?? r.outcomes[t.index]?.error, want: [...p.tests.visible, ...p.tests.hidden][t.index]!.expected })))}`.slice(
          0,
          1500,
        ),
      );
  }
  for (const w of p.wrong) {
    const r = run(w.language, w.code, p.entry[w.language], inputs);
    const j = judge(p, r, 'submit');
    if (w.kind === 'incorrect' && j.passed) fail(`wrong ${w.language} solution passes every test: ${w.why}`);
    if (w.kind === 'too_slow') {
      const grow = growthOf(p);
      const big = [grow(1000)];
      const slow = run(w.language, w.code, p.entry[w.language], big);
      const fast = run(w.language, p.reference[w.language], p.entry[w.language], big);
      console.log(
        `  too_slow ${w.language}: ${slow.ms.toFixed(0)} ms vs reference ${fast.ms.toFixed(0)} ms at n=1000; passes tests: ${j.passed}`,
      );
    }
  }
  const hc = judge(p, runJs(hardCoder(p), p.entry.javascript, inputs), 'submit');
  if (hc.hidden.passed === hc.hidden.total) fail('a hard-coded solution passes the hidden tests');
  const grow = growthOf(p);
  for (const n of [10, 100, 1000]) {
    const inp = grow(n);
    const js = runJs(p.reference.javascript, p.entry.javascript, [inp]);
    const py = n <= 1000 ? runPy(p.reference.python, p.entry.python, [inp]) : js;
    if (!js.outcomes[0]?.ok || !py.outcomes[0]?.ok)
      fail(`growth n=${n}: reference throws ${js.outcomes[0]?.error ?? py.outcomes[0]?.error}`);
    else if (!matches(p, py.outcomes[0].value, js.outcomes[0].value)) fail(`growth n=${n}: the JavaScript and Python references disagree`);
  }
}
console.log(failures ? `${failures} failure(s)` : 'all good');
process.exit(failures ? 1 : 0);
