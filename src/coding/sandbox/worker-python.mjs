// The Python sandbox worker: a candidate's code runs in Pyodide (CPython compiled to
// WebAssembly). Pyodide can reach JavaScript from Python (`import js`, `pyodide.ffi`); here its
// `js` module is a bare object, the harness (harness.py) removes the bridge modules, refuses their
// import with an audit hook that cannot be removed and replaces the JavaScript objects left in
// pyodide's namespaces, and this process is locked down in case anything still gets through: no
// code from strings (eval/Function), the permission model, no network globals, no signals.
// Loading Pyodide takes seconds, so a worker serves many runs; the harness puts back builtins,
// modules and classes after each one.
import { constants as fsConstants, readFileSync } from 'node:fs';
import { lockDown, serve } from './worker-common.mjs';

const MB = 1024 * 1024;
const VALUE_BYTES = 1 * MB;

// NODEFS reads the fs constants through process.binding, which the permission model refuses
// (lockDown() replaces process.binding with a refusal once Pyodide is loaded).
const binding = process.binding;
process.binding = (name) => (name === 'constants' ? { fs: fsConstants } : binding.call(process, name));

// The memory limit: WebAssembly memory may not grow past `heapCap`, so an allocation beyond the
// run's limit is a MemoryError in Python instead of the process growing without bound.
const grow = WebAssembly.Memory.prototype.grow;
let heapCap = Infinity;
Object.defineProperty(WebAssembly.Memory.prototype, 'grow', {
  value: function (pages) {
    if (this.buffer.byteLength + pages * 65536 > heapCap) throw new RangeError('sandbox memory limit');
    return grow.call(this, pages);
  },
  writable: false,
  configurable: false,
});

let output = null;
const decoder = new TextDecoder();
const { loadPyodide } = await import(process.argv[2]);
const pyodide = await loadPyodide({
  jsglobals: Object.create(null),
  env: {},
  stdin: () => null,
});
const write = {
  write: (bytes) => {
    output?.write(decoder.decode(bytes, { stream: true }));
    return bytes.length;
  },
};
pyodide.setStdout(write);
pyodide.setStderr(write);
pyodide.unregisterJsModule('js');
pyodide.unregisterJsModule('pyodide_js');
pyodide.runPython(readFileSync(new URL('./harness.py', import.meta.url), 'utf8'));
const make = pyodide.globals.get('_sandbox_harness');
const [load, call, reset] = make(VALUE_BYTES).toJs();
make.destroy();
pyodide.runPython('del _sandbox_harness');
const heap = () => pyodide._module.HEAP8.buffer.byteLength;
const baseHeap = heap();
lockDown();

serve(
  (message, report, out) => {
    const { code, entry, inputs, limits } = message;
    output = out;
    heapCap = baseHeap + limits.memoryMb * MB;
    const memory = { status: 'memory', error: `Memory limit exceeded: your code used more than ${limits.memoryMb} MB.`, recycle: true };
    try {
      const loaded = JSON.parse(load(code, entry));
      if (loaded.status === 'memory') return memory;
      if (loaded.status !== 'ok') return loaded;
      for (let index = 0; index < inputs.length; index++) {
        const r = JSON.parse(call(JSON.stringify(inputs[index])));
        if (r.memory) return memory;
        r.ms = Math.round(r.ms * 100) / 100;
        report({ index, ...r });
      }
      return { status: 'ok' };
    } finally {
      output = null;
      heapCap = Infinity;
      try {
        reset();
      } catch {
        // a run that broke the interpreter: the worker is replaced
        return { status: 'crashed', error: 'Your code left the Python runner unusable.', recycle: true };
      }
    }
  },
  { engine: `pyodide ${pyodide.version}`, heapBytes: baseHeap },
);
