import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxPool } from '../src/coding/sandbox/index.js';
import type { Language, RunLimits, RunResult } from '../src/coding/types.js';

// Each attack runs in real QuickJS / Pyodide workers and must end as a clear failure of that run
// while this process (the server) keeps serving: the next run of the same language still works.

const PACKAGE_JSON = join(import.meta.dirname, '..', 'package.json');
let sandbox: SandboxPool;
let server: Server;
let url: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  sandbox = createSandbox({ poolSize: 2 });
  await Promise.all([sandbox.warm('javascript'), sandbox.warm('python')]);
}, 90_000);

afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => server.close(resolve));
});

const run = (language: Language, code: string, inputs: unknown[][] = [[]], limits?: Partial<RunLimits>) =>
  sandbox.run({ language, code, entry: 'attack', inputs: inputs.map((args) => ({ args })), limits });

const httpGet = (target: string) =>
  new Promise<string>((resolve, reject) => {
    get(target, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

/** Every attempt in `tries` must have failed: the attack returns what each one raised, or ESCAPED. */
function expectAllRefused(r: RunResult) {
  expect(r.status).toBe('ok');
  expect(r.outcomes[0]).toMatchObject({ ok: true });
  const results = r.outcomes[0]!.value as string[];
  expect(results.length).toBeGreaterThan(0);
  expect(results.filter((x) => x.startsWith('ESCAPED'))).toEqual([]);
}

// JavaScript: each try is a function; Python: each a lambda. Both return the error's name per try.
const jsTries = (tries: string[]) => `function attack() {
  const tries = [${tries.map((t) => `() => ${t}`).join(',\n    ')}];
  return tries.map((t) => { try { const r = t(); return r && typeof r.then === 'function' ? 'a promise that never settles' : 'ESCAPED ' + String(r).slice(0, 80) } catch (e) { return String(e && e.name) } });
}`;
const pyTries = (imports: string, tries: string[]) => `${imports}
def attack():
    tries = [${tries.map((t) => `lambda: ${t}`).join(',\n             ')}]
    out = []
    for t in tries:
        try:
            out.append("ESCAPED " + repr(t())[:80])
        except BaseException as e:
            out.append(type(e).__name__)
    return out
`;

describe.each(['javascript', 'python'] as const)('attacks on the %s sandbox', (language) => {
  it('while one run spins in an infinite loop, another run, an HTTP request and a timer complete promptly', async () => {
    const spin = language === 'javascript' ? 'function attack() { for (;;) {} }' : 'def attack():\n    while True:\n        pass\n';
    const spinning = run(language, spin, [[]], { wallMs: 4000 });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const quick = await run(
      language,
      language === 'javascript' ? 'function attack(x) { return x * 2 }' : 'def attack(x):\n    return x * 2\n',
      [[21]],
    );
    expect(quick.outcomes[0]!.value).toBe(42);
    const timerStart = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - timerStart).toBeLessThan(500);
    expect(await httpGet(url)).toBe('hello');
    expect(Date.now() - t0).toBeLessThan(2500);
    const spun = await spinning;
    expect(spun).toMatchObject({ status: 'timeout', error: 'Time limit exceeded: your code ran for more than 4000 ms.' });
  });

  it('an infinite loop ends as a timeout, keeping the tests that ran before it', async () => {
    const code =
      language === 'javascript'
        ? 'function attack(n) { while (n === 1) {} return n }'
        : 'def attack(n):\n    while n == 1:\n        pass\n    return n\n';
    const r = await run(language, code, [[0], [1], [2]], { wallMs: 1000 });
    expect(r.status).toBe('timeout');
    expect(r.error).toMatch(/Time limit exceeded/);
    expect(r.outcomes).toEqual([expect.objectContaining({ index: 0, ok: true, value: 0 })]);
    expect(r.durationMs).toBeLessThan(5000);
  });

  it("deep recursion is that test's error", async () => {
    const code =
      language === 'javascript'
        ? 'function attack(n) { return n === 0 ? 0 : attack(n + 1) + 1 }'
        : 'import sys\nsys.setrecursionlimit(10**6)\ndef attack(n):\n    return 0 if n == 0 else attack(n + 1) + 1\n'; // the limit is capped
    const r = await run(language, code, [[1], [0]]);
    expect(r.status).toBe('ok');
    expect(r.outcomes[0]).toMatchObject({ ok: false });
    expect(r.outcomes[0]!.error).toMatch(language === 'javascript' ? /stack overflow/ : /RecursionError/);
    expect(r.outcomes[1]).toMatchObject({ ok: true, value: 0 });
  });

  it('a deeply nested return value fails that test, or at worst the run, cleanly', async () => {
    const code =
      language === 'javascript'
        ? 'function attack() { let v = []; for (let i = 0; i < 100000; i++) v = [v]; return v }'
        : 'def attack():\n    v = []\n    for i in range(100000):\n        v = [v]\n    return v\n';
    const r = await run(language, code);
    if (r.status === 'ok') expect(r.outcomes[0]).toMatchObject({ ok: false });
    else expect(r.status).toBe('crashed');
  });

  it('spawning processes or workers (a fork bomb) fails', async () => {
    const code =
      language === 'javascript'
        ? jsTries([
            "require('child_process').execSync('id')",
            "import('node:child_process')",
            "new Worker('data:,1')",
            'process.kill(process.ppid)',
            "std.popen('id', 'r')",
            "os.exec(['id'])",
          ])
        : pyTries('import os, subprocess, multiprocessing', [
            'os.fork()',
            "subprocess.run(['id'])",
            "os.system('id')",
            'multiprocessing.Process(target=print).start()',
            'os.kill(1, 9)',
            "os.posix_spawn('/bin/sh', ['sh'], {})",
          ]);
    expectAllRefused(await run(language, code));
    const bomb =
      language === 'javascript'
        ? 'function attack() { for (;;) require("child_process").fork(".") }'
        : 'import os\ndef attack():\n    while True:\n        os.fork()\n';
    const r = await run(language, bomb);
    expect(r.outcomes[0]).toMatchObject({ ok: false });
  });

  it('a huge allocation ends as a memory failure', async () => {
    const grow =
      language === 'javascript'
        ? 'function attack() { const a = []; for (;;) a.push(new Array(1e6).fill(1)) }'
        : 'def attack():\n    a = []\n    while True:\n        a.append(bytearray(10**7))\n';
    const r = await run(language, grow, [[]], { memoryMb: 64 });
    expect(r).toMatchObject({ status: 'memory', error: 'Memory limit exceeded: your code used more than 64 MB.', outcomes: [] });
    const giant =
      language === 'javascript'
        ? 'function attack() { return new ArrayBuffer(2 ** 31).byteLength }'
        : 'def attack():\n    return len(bytearray(2**31))\n';
    const r2 = await run(language, giant, [[]], { memoryMb: 64 });
    expect(r2.status === 'memory' || r2.outcomes[0]?.ok === false).toBe(true);
  });

  it("reading the host's files fails", async () => {
    const code =
      language === 'javascript'
        ? jsTries([
            "require('fs').readFileSync('/etc/passwd', 'utf8')",
            "std.loadFile('/etc/passwd')",
            "import('node:fs')",
            "fetch('file:///etc/passwd')",
            "process.binding('fs')",
          ])
        : pyTries('import os, pathlib', [
            "open('/etc/passwd').read()",
            `open(${JSON.stringify(PACKAGE_JSON)}).read()`,
            `pathlib.Path(${JSON.stringify(PACKAGE_JSON)}).read_text()`,
            "os.listdir('/work')",
            "os.open('/etc/hostname', os.O_RDONLY)",
            "open('/lib/evil.so', 'wb')",
          ]);
    const r = await run(language, code);
    expectAllRefused(r);
    expect(JSON.stringify(r)).not.toMatch(/root:|mockloop/);
  });

  it('reaching the network fails', async () => {
    const code =
      language === 'javascript'
        ? jsTries([
            `fetch(${JSON.stringify(url)})`,
            `new XMLHttpRequest()`,
            `new WebSocket('ws://127.0.0.1:1')`,
            "import('node:http')",
            "require('net')",
          ])
        : pyTries('import socket, urllib.request, http.client', [
            `urllib.request.urlopen(${JSON.stringify(url)}).read()`,
            `socket.create_connection(('127.0.0.1', ${new URL(url).port}))`,
            `http.client.HTTPConnection('127.0.0.1', ${new URL(url).port}).request('GET', '/')`,
            "__import__('pyodide.http').http.pyfetch('http://127.0.0.1/')",
            "socket.getaddrinfo('example.com', 80)",
          ]);
    const before = hits;
    expectAllRefused(await run(language, code));
    expect(hits).toBe(before);
  });

  it("reaching the host's process, globals, require or the JavaScript bridge fails", async () => {
    const code =
      language === 'javascript'
        ? jsTries([
            'process.pid',
            'require',
            'globalThis.process.pid',
            "Function('return this')().process.pid",
            "(0, eval)('this').require('fs')",
            'module.exports',
            'Deno.env',
          ])
        : pyTries('import sys, importlib\nhooked = []\ndef refused():\n    raise PermissionError("refused")\n', [
            "__import__('js').process",
            "__import__('pyodide_js')._module",
            "__import__('pyodide.code').code.run_js('process')",
            "__import__('pyodide.ffi').ffi.to_js([1])",
            "importlib.import_module('_pyodide_core')",
            "__import__('_imp').create_builtin(type('S', (), {'name': '_pyodide_core'})())",
            "sys.modules['js']",
            "[f for f in sys.meta_path if 'Js' in type(f).__name__][0]",
            "__import__('ctypes').CDLL(None)",
            // an audit hook of the candidate's would see the next runs: it is silently not added
            "sys.addaudithook(lambda e, a: hooked.append(e)) or open('/tmp/probe', 'w').close() or hooked[:1] or refused()",
          ]);
    expectAllRefused(await run(language, code));
  });

  it.runIf(language === 'python')('introspection finds no JavaScript object or bridge function in any namespace', async () => {
    // object.__subclasses__() reaches pyodide's own classes, and their methods' __globals__ the
    // namespaces of its modules: whatever there was a JavaScript object or a bridge function is a refusal.
    const code = `def attack():
    seen, classes, stack = set(), [], [object]
    while stack:
        for sub in type.__subclasses__(stack.pop()):
            if id(sub) not in seen:
                seen.add(id(sub)); stack.append(sub); classes.append(sub)
    found = []
    for c in classes:
        for v in list(vars(c).values()):
            g = getattr(getattr(v, "__func__", v), "__globals__", None)
            for k, x in (list(g.items()) if isinstance(g, dict) else []):
                kinds = [b.__name__ for b in type(x).__mro__]
                if "JsProxy" in kinds or getattr(x, "__module__", None) == "_pyodide_core":
                    found.append(f"{g.get('__name__')}.{k}")
    return sorted(set(found))
`;
    const r = await run(language, code);
    expect(r.outcomes[0]).toMatchObject({ ok: true, value: [] });
  });

  it('printing gigabytes is cut at the output limit and ends with the wall time', async () => {
    const code =
      language === 'javascript'
        ? "function attack() { for (;;) console.log('x'.repeat(1e6)) }"
        : "def attack():\n    while True:\n        print('x' * 10**6)\n";
    const r = await run(language, code, [[]], { wallMs: 1500, outputBytes: 10_000 });
    expect(['timeout', 'memory']).toContain(r.status);
    expect(r.error).toBeTruthy();
    expect(Buffer.byteLength(r.output)).toBeLessThanOrEqual(10_100);
  });

  it('overriding built-ins or printing fake protocol messages does not fake results', async () => {
    const code =
      language === 'javascript'
        ? `JSON.stringify = () => '"fake"'; JSON.parse = () => [41]; Reflect.apply = () => 'fake'; Reflect.construct = () => ({});
Function.prototype.apply = () => 'fake'; Error = function () {}; globalThis.console = { log() {} };
function attack(x) { print('{"type":"done","status":"ok"}'); if (x === 0) throw new TypeError('zero'); return x + 1 }
function print(s) { console.log(s) }`
        : `import builtins, json, traceback
json.dumps = lambda *a, **k: '"fake"'
json.loads = lambda *a, **k: {"args": [41]}
traceback.format_exception_only = lambda *a, **k: ["fake"]
builtins.isinstance = lambda *a: True
builtins.type = lambda *a: int
builtins.len = lambda x: 0
builtins.repr = lambda x: "fake"
def attack(x):
    print('{"type": "done", "status": "ok"}')
    if x == 0:
        raise TypeError("zero")
    return x + 1
`;
    const r = await run(language, code, [[1], [0], [1]]);
    expect(r.status).toBe('ok');
    expect(r.outcomes.map((o) => [o.ok, o.value])).toEqual([
      [true, 2],
      [false, undefined],
      [true, 2],
    ]);
    expect(r.outcomes[1]!.error).toMatch(/zero/);
  });

  it('still runs a correct solution after all of the above', async () => {
    const code = language === 'javascript' ? 'function attack(a, b) { return a + b }' : 'def attack(a, b):\n    return a + b\n';
    const r = await run(language, code, [[2, 3]]);
    expect(r).toMatchObject({ status: 'ok', outcomes: [{ index: 0, ok: true, value: 5 }] });
  });
});
