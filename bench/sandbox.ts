/**
 * The coding round's sandbox (issue 25's "done when"): for each language, the start-up time of a
 * sandbox (a cold worker process until it is ready to run code: Node, then QuickJS or Pyodide)
 * and how many runs per second one warm worker serves, one run at a time, for a small function
 * with 10 tests (each run: send, load the code, call it 10 times, send back every result).
 *
 *   npm run bench:sandbox
 *   npm run bench:sandbox -- --seconds 10 --json
 */
import { parseArgs } from 'node:util';
import { createSandbox } from '../src/coding/sandbox/index.js';
import { LANGUAGES, type Language, type TestInput } from '../src/coding/types.js';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '5' }, cold: { type: 'string', default: '3' } },
});
const seconds = Number(args.seconds);
const colds = Number(args.cold);
if (!(seconds > 0) || !Number.isInteger(colds) || colds < 1) {
  console.error('--seconds must be a positive number and --cold a whole number from 1');
  process.exit(2);
}

const SOLUTION: Record<Language, { code: string; entry: string }> = {
  javascript: {
    entry: 'maxProfit',
    code: `function maxProfit(prices) {
  let best = 0, low = Infinity;
  for (const p of prices) { low = Math.min(low, p); best = Math.max(best, p - low); }
  return best;
}`,
  },
  python: {
    entry: 'max_profit',
    code: `def max_profit(prices):
    best, low = 0, float("inf")
    for p in prices:
        low = min(low, p)
        best = max(best, p - low)
    return best
`,
  },
};
const INPUTS: TestInput[] = Array.from({ length: 10 }, (_, i) => ({
  args: [Array.from({ length: 20 + i }, (_, j) => (j * 7919 + i * 31) % 101)],
}));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(language: Language) {
  const starts: number[] = [];
  for (let i = 0; i < colds; i++) {
    const sandbox = createSandbox({ poolSize: 1 });
    const t0 = performance.now();
    await sandbox.warm(language);
    starts.push(performance.now() - t0);
    await sandbox.close();
  }
  const sandbox = createSandbox({ poolSize: 1 });
  try {
    await sandbox.warm(language);
    const { code, entry } = SOLUTION[language];
    const once = () => sandbox.run({ language, code, entry, inputs: INPUTS });
    const first = await once();
    if (first.status !== 'ok' || first.outcomes.length !== 10 || !first.outcomes.every((o) => o.ok)) {
      throw new Error(`${language}: the benchmark's solution did not run: ${JSON.stringify(first).slice(0, 300)}`);
    }
    for (let i = 0; i < 5; i++) await once(); // warm the path
    const latencies: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      const t = performance.now();
      await once();
      latencies.push(performance.now() - t);
    }
    const elapsed = (performance.now() - t0) / 1000;
    return {
      language,
      startupMs: Math.round(median(starts)),
      startupRuns: starts.map(Math.round),
      runsPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
      medianRunMs: Math.round(median(latencies) * 100) / 100,
      runs: latencies.length,
    };
  } finally {
    await sandbox.close();
  }
}

const results = [];
for (const language of LANGUAGES) results.push(await measure(language));
if (args.json) console.log(JSON.stringify(results));
else {
  console.log(`Sandbox: start-up (cold worker ready, median of ${colds}) and warm runs per second (one worker, a function with 10 tests)`);
  for (const r of results) {
    console.log(
      `  ${r.language.padEnd(10)}  start-up ${String(r.startupMs).padStart(5)} ms (${r.startupRuns.join(', ')})   ${String(r.runsPerSecond).padStart(7)} runs/s   median run ${r.medianRunMs} ms   (${r.runs} runs)`,
    );
  }
}
