// The JavaScript sandbox worker: a candidate's code runs in QuickJS compiled to WebAssembly, a
// separate JavaScript engine with its own heap. Nothing of Node is handed to it: its global
// object has the language's built-ins and a `console` whose output is captured, no require, no
// process, no fetch, no timers. Each run gets a fresh QuickJS runtime with a memory limit, a
// stack limit and an interrupt at the run's deadline.
import { lockDown, serve } from './worker-common.mjs';

const MB = 1024 * 1024;
/** QuickJS's own stack limit: below what the WebAssembly stack can take with --stack-size=3900 (measured). */
const STACK_BYTES = 256 * 1024;
/** A returned value's JSON beyond this is refused (the test fails with a message). */
const VALUE_BYTES = 1 * MB;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const { getQuickJS } = await import(process.argv[2]);
const QuickJS = await getQuickJS();
lockDown();

// Runs before the candidate's code, in its context: a console that prints through the host, and
// the helpers the host calls tests with, bound to the built-ins as they were before any code ran
// (code that replaces JSON.stringify or Reflect.apply changes nothing here).
const PRELUDE = `(() => {
  const print = globalThis.__print; delete globalThis.__print;
  const { apply, construct } = Reflect; const { parse, stringify } = JSON; const str = String; const Err = Error;
  const show = (v) => { if (typeof v === 'string') return v; try { const s = stringify(v); return s === undefined ? str(v) : s; } catch { return str(v); } };
  const log = (...a) => { let line = ''; for (let i = 0; i < a.length; i++) line += (i ? ' ' : '') + show(a[i]); print(line); };
  globalThis.console = { log, info: log, warn: log, error: log, debug: log };
  const toJson = (v) => { const s = stringify(v === undefined ? null : v); return s === undefined ? 'null' : s; };
  return {
    call: (f, json) => toJson(apply(f, undefined, parse(json))),
    calls: (C, json) => { const steps = parse(json); const out = [null]; const o = construct(C, steps[0][1]);
      for (let i = 1; i < steps.length; i++) { const m = o[steps[i][0]]; if (typeof m !== 'function') throw new TypeError(str(steps[i][0]) + ' is not a method of ' + (C.name || 'the class'));
        out.push(apply(m, o, steps[i][1])); } return toJson(out); },
    describe: (e) => { try { if (e instanceof Err) { const where = str(e.stack || '').split('\\n').filter((l) => l.includes('solution.js')).slice(0, 5).join('\\n');
      return str(e.name) + ': ' + str(e.message) + (where ? '\\n' + where : ''); } return 'Uncaught ' + show(e); } catch { return 'Uncaught exception'; } },
  };
})()`;

function errorKind(vm, handle) {
  let d;
  try {
    d = vm.dump(handle);
  } catch {
    return 'error';
  }
  if (d && typeof d === 'object' && d.name === 'InternalError' && d.message === 'interrupted') return 'interrupted';
  if (d && typeof d === 'object' && d.name === 'InternalError' && d.message === 'out of memory') return 'memory';
  return 'error';
}

serve(
  (message, report, output) => {
    const { code, entry, inputs, limits } = message;
    const started = Date.now();
    const deadline = started + limits.wallMs;
    const runtime = QuickJS.newRuntime();
    runtime.setMemoryLimit(limits.memoryMb * MB);
    runtime.setMaxStackSize(STACK_BYTES);
    runtime.setInterruptHandler(() => Date.now() > deadline);
    const vm = runtime.newContext();
    const handles = [];
    const keep = (h) => (handles.push(h), h);
    const timeout = { status: 'timeout', error: `Time limit exceeded: your code ran for more than ${limits.wallMs} ms.` };
    const memory = { status: 'memory', error: `Memory limit exceeded: your code used more than ${limits.memoryMb} MB.` };
    try {
      const print = vm.newFunction('print', (line) => void output.write(vm.getString(line) + '\n'));
      vm.setProp(vm.global, '__print', print);
      print.dispose();
      const prelude = vm.evalCode(PRELUDE, 'prelude.js');
      if (prelude.error) throw new Error(JSON.stringify(vm.dump(prelude.error)));
      const helpers = keep(prelude.value);
      const describe = keep(vm.getProp(helpers, 'describe'));
      const explain = (h) => {
        const r = vm.callFunction(describe, vm.undefined, h);
        if (r.error) {
          r.error.dispose();
          return 'Uncaught exception';
        }
        const text = vm.getString(r.value);
        r.value.dispose();
        return text.slice(0, 4000);
      };
      const loaded = vm.evalCode(code, 'solution.js');
      if (loaded.error) {
        const kind = errorKind(vm, loaded.error);
        const text = explain(loaded.error);
        loaded.error.dispose();
        if (kind === 'interrupted') return timeout;
        if (kind === 'memory') return memory;
        return { status: 'compile_error', error: text };
      }
      loaded.value.dispose();
      const found = IDENTIFIER.test(entry) ? vm.evalCode(`typeof ${entry} === 'undefined' ? undefined : ${entry}`, 'entry.js') : null;
      if (!found || found.error || vm.typeof(found.value) !== 'function') {
        if (found?.error) found.error.dispose();
        else found?.value.dispose();
        return { status: 'compile_error', error: `Your code has no function or class named ${entry}.` };
      }
      const target = keep(found.value);
      const call = keep(vm.getProp(helpers, 'call'));
      const calls = keep(vm.getProp(helpers, 'calls'));
      for (let index = 0; index < inputs.length; index++) {
        const input = inputs[index];
        const t0 = performance.now();
        const json = vm.newString(JSON.stringify('calls' in input ? input.calls : input.args));
        const r = vm.callFunction('calls' in input ? calls : call, vm.undefined, target, json);
        json.dispose();
        const ms = Math.round((performance.now() - t0) * 100) / 100;
        if (r.error) {
          const kind = errorKind(vm, r.error);
          const text = explain(r.error);
          r.error.dispose();
          if (kind === 'interrupted') return timeout;
          if (kind === 'memory') return memory;
          report({ index, ok: false, error: text, ms });
          continue;
        }
        const text = vm.getString(r.value);
        r.value.dispose();
        if (text.length > VALUE_BYTES)
          report({ index, ok: false, error: `The return value is too large (over ${VALUE_BYTES} bytes as JSON).`, ms });
        else report({ index, ok: true, value: JSON.parse(text), ms });
      }
      return { status: 'ok' };
    } finally {
      for (const h of handles) h.dispose();
      vm.dispose();
      runtime.dispose();
    }
  },
  { engine: 'quickjs' },
);
