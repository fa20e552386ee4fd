import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxPool } from '../src/coding/sandbox/index.js';
import type { Language, RunResult } from '../src/coding/types.js';

// Real QuickJS and Pyodide in real worker processes: one sandbox for the file, warmed once.
let sandbox: SandboxPool;
beforeAll(async () => {
  sandbox = createSandbox({ poolSize: 1 });
  await Promise.all([sandbox.warm('javascript'), sandbox.warm('python')]);
}, 60_000);
afterAll(() => sandbox.close());

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const twoSum: Record<Language, { code: string; entry: string }> = {
  javascript: {
    entry: 'twoSum',
    code: `function twoSum(nums, target) {
  const seen = new Map();
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];
    seen.set(nums[i], i);
  }
  console.log('no pair for', target);
  return null;
}`,
  },
  python: {
    entry: 'two_sum',
    code: `def two_sum(nums, target):
    seen = {}
    for i, n in enumerate(nums):
        if target - n in seen:
            return (seen[target - n], i)
        seen[n] = i
    print("no pair for", target)
    return None
`,
  },
};

describe.each(['javascript', 'python'] as const)('the %s sandbox', (language) => {
  it('calls the entry with each test input and returns each value as JSON, with what it printed', async () => {
    const { code, entry } = twoSum[language];
    const r = await sandbox.run({
      language,
      code,
      entry,
      inputs: [{ args: [[2, 7, 11, 15], 9] }, { args: [[3, 3], 6] }, { args: [[1], 5] }],
    });
    expect(r.status).toBe('ok');
    expect(r.outcomes.map((o) => [o.index, o.ok, o.value])).toEqual([
      [0, true, [0, 1]],
      [1, true, [0, 1]],
      [2, true, null],
    ]);
    expect(r.output).toBe('no pair for 5\n');
    expect(r.outcomes.every((o) => o.ms >= 0)).toBe(true);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("makes one test's exception that test's error, and runs the other tests", async () => {
    const code =
      language === 'javascript'
        ? 'function f(x) { if (x === 2) throw new Error("two is bad"); return x * 10 }'
        : 'def f(x):\n    if x == 2:\n        raise ValueError("two is bad")\n    return x * 10\n';
    const r = await sandbox.run({ language, code, entry: 'f', inputs: [{ args: [1] }, { args: [2] }, { args: [3] }] });
    expect(r.status).toBe('ok');
    expect(r.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(r.outcomes[1]!.error).toMatch(language === 'javascript' ? /Error: two is bad/ : /ValueError: two is bad/);
    expect(r.outcomes[1]!.error).toMatch(language === 'javascript' ? /solution\.js:1/ : /line 3, in f/);
    expect(r.outcomes[2]!.value).toBe(30);
  });

  it('runs a class problem: constructs the entry, calls its methods in turn and returns every return value', async () => {
    const code =
      language === 'javascript'
        ? `class Counter { constructor(start) { this.n = start } add(k) { this.n += k; return this.n } reset() { this.n = 0 } }`
        : `class Counter:\n    def __init__(self, start):\n        self.n = start\n    def add(self, k):\n        self.n += k\n        return self.n\n    def reset(self):\n        self.n = 0\n`;
    const calls: [string, unknown[]][] = [
      ['Counter', [5]],
      ['add', [2]],
      ['reset', []],
      ['add', [1]],
    ];
    const r = await sandbox.run({
      language,
      code,
      entry: 'Counter',
      inputs: [
        { calls },
        {
          calls: [
            ['Counter', [0]],
            ['nope', []],
          ],
        },
      ],
    });
    expect(r.outcomes[0]).toMatchObject({ ok: true, value: [null, 7, null, 1] });
    expect(r.outcomes[1]).toMatchObject({ ok: false });
    expect(r.outcomes[1]!.error).toMatch(/nope/);
  });

  it('reports code that does not compile, or has no such entry, as a compile error', async () => {
    const broken = language === 'javascript' ? 'function f( {' : 'def f(:\n  pass';
    const r1 = await sandbox.run({ language, code: broken, entry: 'f', inputs: [{ args: [] }] });
    expect(r1).toMatchObject({ status: 'compile_error', outcomes: [] });
    expect(r1.error).toMatch(/SyntaxError/);
    const r2 = await sandbox.run({
      language,
      code: language === 'javascript' ? 'const g = 1' : 'g = 1',
      entry: 'f',
      inputs: [{ args: [] }],
    });
    expect(r2).toMatchObject({ status: 'compile_error', error: 'Your code has no function or class named f.' });
  });

  it('cuts printed output at the limit and still runs every test', async () => {
    const code =
      language === 'javascript'
        ? 'function f(n) { for (let i = 0; i < n; i++) console.log("line " + i); return n }'
        : 'def f(n):\n    for i in range(n):\n        print("line", i)\n    return n\n';
    const r = await sandbox.run({ language, code, entry: 'f', inputs: [{ args: [500] }, { args: [3] }], limits: { outputBytes: 100 } });
    expect(r.status).toBe('ok');
    expect(r.outcomes.map((o) => o.value)).toEqual([500, 3]);
    expect(r.output).toMatch(/^line 0\nline 1\n/);
    expect(r.output).toMatch(/\[output cut at 100 bytes\]\n$/);
    expect(Buffer.byteLength(r.output)).toBeLessThan(150);
  });

  it('refuses a return value with no JSON form as that test failing', async () => {
    const code = language === 'javascript' ? 'function f() { return 10n }' : 'def f():\n    return object()\n';
    const r = await sandbox.run({ language, code, entry: 'f', inputs: [{ args: [] }] });
    expect(r.status).toBe('ok');
    expect(r.outcomes[0]).toMatchObject({ index: 0, ok: false });
  });
});

describe('values crossing the boundary', () => {
  it('JavaScript: undefined becomes null, non-finite numbers null, nested objects stay objects', async () => {
    const code = 'function f() { return { a: undefined, b: [undefined, NaN, Infinity], c: { d: "x" } } }';
    const r = await sandbox.run({ language: 'javascript', code, entry: 'f', inputs: [{ args: [] }] });
    expect(r.outcomes[0]!.value).toEqual({ b: [null, null, null], c: { d: 'x' } });
  });

  it('Python: None -> null, tuples -> arrays, dicts -> objects (keys as strings), sets -> sorted arrays, inf -> null', async () => {
    const code = 'def f():\n    return {"t": (1, 2), "n": None, 3: {5, 4}, "inf": float("inf"), "b": True, "nested": [(1,), {"k": 1.5}]}\n';
    const r = await sandbox.run({ language: 'python', code, entry: 'f', inputs: [{ args: [] }] });
    expect(r.outcomes[0]!.value).toEqual({ t: [1, 2], n: null, '3': [4, 5], inf: null, b: true, nested: [[1], { k: 1.5 }] });
  });

  it('Python: a later run does not see what an earlier one changed in builtins, modules, classes or sys', async () => {
    const patch = `import builtins, json, collections, sys, gc
builtins.len = lambda x: 42
json.loads = None
collections.Counter.most_common = lambda self, n=None: "spied"
sys.stash = "the last candidate's code"
gc.callbacks.append(lambda *a: None)
def f():
    return [len([1]), collections.Counter("aab").most_common(1)]
`;
    const r1 = await sandbox.run({ language: 'python', code: patch, entry: 'f', inputs: [{ args: [] }] });
    expect(r1.outcomes[0]!.value).toEqual([42, 'spied']);
    const r2 = await sandbox.run({
      language: 'python',
      code: 'import json, collections, sys, gc\ndef f():\n    return [len([1]), json.loads("[2]"), collections.Counter("aab").most_common(1), hasattr(sys, "stash"), len(gc.callbacks)]\n',
      entry: 'f',
      inputs: [{ args: [] }],
    });
    expect(r2.outcomes[0]!.value).toEqual([1, [2], [['a', 2]], false, 0]);
  });
});

describe('what a run leaves behind', () => {
  it('Python: callbacks a run schedules on the event loop never run after it (between or during later runs)', async () => {
    const code = `import asyncio, builtins
def evil():
    builtins.len = lambda x: 99
    asyncio.get_event_loop().call_later(0.01, evil)
def f():
    asyncio.get_event_loop().call_later(0.05, evil)
    asyncio.get_event_loop().call_soon(evil)
    asyncio.ensure_future(asyncio.sleep(0))
    return 1
`;
    const r1 = await sandbox.run({ language: 'python', code, entry: 'f', inputs: [{ args: [] }] });
    // asyncio's loop refuses to schedule (it would go through the JavaScript bridge) ...
    expect(r1.outcomes[0]).toMatchObject({ ok: false });
    expect(r1.outcomes[0]!.error).toMatch(/RuntimeError: The sandbox has no JavaScript bridge \(and no event loop\)/);
    // ... and had it scheduled anything, the worker clears a run's timers when it ends.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const r2 = await sandbox.run({ language: 'python', code: 'def f():\n    return len([1])\n', entry: 'f', inputs: [{ args: [] }] });
    expect(r2.outcomes[0]!.value).toBe(1);
  });

  it('JavaScript: promise jobs a run leaves pending never run, and the next run starts from a fresh engine', async () => {
    const code =
      'globalThis.count = (globalThis.count || 0) + 1; function f() { Promise.resolve().then(() => { throw new Error("late") }); return globalThis.count }';
    const r1 = await sandbox.run({ language: 'javascript', code, entry: 'f', inputs: [{ args: [] }] });
    const r2 = await sandbox.run({ language: 'javascript', code, entry: 'f', inputs: [{ args: [] }] });
    expect([r1.status, r2.status]).toEqual(['ok', 'ok']);
    expect([r1.outcomes[0]!.value, r2.outcomes[0]!.value]).toEqual([1, 1]);
  });
});

describe('the pool', () => {
  it('reports a worker that dies mid-run as crashed, replaces it, and the next run works', async () => {
    const running = sandbox.run({
      language: 'javascript',
      code: 'function f() { for (;;) {} }',
      entry: 'f',
      inputs: [{ args: [] }],
      limits: { wallMs: 10_000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [pid] = sandbox.pids('javascript');
    process.kill(pid!, 'SIGKILL');
    const r = await running;
    expect(r).toMatchObject({
      status: 'crashed',
      error: 'Your code crashed the javascript runner: it stopped unexpectedly.',
      outcomes: [],
    });
    const next = await sandbox.run({ language: 'javascript', code: 'function f() { return 1 }', entry: 'f', inputs: [{ args: [] }] });
    expect(next.outcomes[0]!.value).toBe(1);
    expect(sandbox.pids('javascript')).not.toContain(pid);
  });

  it('keeps a JavaScript worker that timed out (QuickJS stopped itself) and replaces a Python one (killed)', async () => {
    const [js] = sandbox.pids('javascript');
    const t = await sandbox.run({
      language: 'javascript',
      code: 'function f() { for (;;) {} }',
      entry: 'f',
      inputs: [{ args: [] }],
      limits: { wallMs: 300 },
    });
    expect(t.status).toBe('timeout');
    expect(sandbox.pids('javascript')).toEqual([js]);
    const [py] = sandbox.pids('python');
    const p = await sandbox.run({
      language: 'python',
      code: 'def f():\n    while True:\n        pass\n',
      entry: 'f',
      inputs: [{ args: [] }],
      limits: { wallMs: 300 },
    });
    expect(p.status).toBe('timeout');
    expect(isAlive(py!)).toBe(false);
    await sandbox.warm('python');
    expect(sandbox.pids('python')).toHaveLength(1);
    expect(sandbox.pids('python')).not.toContain(py);
  }, 60_000);

  it('refuses limits that are not positive numbers', async () => {
    await expect(
      sandbox.run({ language: 'javascript', code: 'function f() {}', entry: 'f', inputs: [], limits: { wallMs: -1 } }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('queues runs beyond its workers, refuses one more than the queue holds, and close() kills every worker', async () => {
    const small = createSandbox({ poolSize: 1, queueLimit: 1 });
    try {
      await small.warm('javascript');
      const slow = 'function f() { const end = Date.now() + 300; while (Date.now() < end); return 1 }';
      const run = () => small.run({ language: 'javascript', code: slow, entry: 'f', inputs: [{ args: [] }] });
      const first = run(); // runs at once
      const second = run(); // waits: the queue is full now
      await expect(run()).rejects.toMatchObject({ code: 'sandbox_busy' });
      const results: RunResult[] = await Promise.all([first, second]);
      expect(results.map((r) => r.outcomes[0]?.value)).toEqual([1, 1]);
      const pids = small.pids();
      expect(pids).toHaveLength(1);
      await small.close();
      expect(pids.filter(isAlive)).toEqual([]);
      await expect(run()).rejects.toMatchObject({ code: 'shutting_down' });
    } finally {
      await small.close();
    }
  });
});
