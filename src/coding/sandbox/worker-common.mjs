// The part both sandbox workers share: the message protocol with the server, the printed-output
// cap, and the lock-down of this process before any candidate code runs.
//
// Workers are plain JavaScript modules (not TypeScript) because they run as their own Node
// process under the permission model: they may read only their own folder and the runtime's
// package, so they cannot load a TypeScript loader from node_modules.
//
// Messages: server -> worker {type:'run', id, code, entry, inputs, limits};
// worker -> server {type:'ready', info}, {type:'outcome', id, outcome, output},
// {type:'done', id, status, error?, output, recycle?}. `output` is what was printed since the
// previous message.

const send = process.send.bind(process);

// Timers a run leaves behind (Pyodide's asyncio loop schedules through setTimeout and
// setImmediate) would run its code between runs, after the harness has put things back, or
// during someone else's run: every timer is tracked and those of a run are cleared when it ends.
// Runs are synchronous, so no timer of a run can have fired before that.
const pending = new Set();
for (const [set, clear] of [
  ['setTimeout', 'clearTimeout'],
  ['setInterval', 'clearInterval'],
  ['setImmediate', 'clearImmediate'],
]) {
  const original = globalThis[set];
  const cancel = globalThis[clear];
  globalThis[set] = (...args) => {
    const handle = original(...args);
    pending.add(() => cancel(handle));
    return handle;
  };
}
const clearTimers = () => {
  for (const cancel of pending) cancel();
  pending.clear();
};

/** Printed output of the current run, cut at the run's byte limit. */
export class Output {
  constructor(limit) {
    this.limit = limit;
    this.bytes = 0;
    this.pending = '';
    this.truncated = false;
  }
  write(text) {
    if (this.truncated) return;
    const size = Buffer.byteLength(text);
    if (this.bytes + size <= this.limit) {
      this.bytes += size;
      this.pending += text;
      return;
    }
    const room = this.limit - this.bytes;
    this.pending += Buffer.from(text)
      .subarray(0, room)
      .toString()
      .replace(/\uFFFD$/, '');
    this.pending += `\n[output cut at ${this.limit} bytes]\n`;
    this.bytes = this.limit;
    this.truncated = true;
  }
  take() {
    const text = this.pending;
    this.pending = '';
    return text;
  }
}

/**
 * Takes away what a candidate's code could misuse should it ever reach this process's JavaScript
 * world: the network globals, signals to other processes (the server is one), native add-ons and
 * internal bindings. The permission model already refuses file reads outside the allowed
 * folders, file writes, child processes and worker threads.
 */
export function lockDown() {
  for (const name of ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'navigator']) {
    try {
      delete globalThis[name];
    } catch {
      // not configurable: nothing to take away
    }
  }
  const refuse = (what) => () => {
    throw new Error(`${what} is not available in the sandbox`);
  };
  for (const name of [
    'kill',
    '_kill',
    'binding',
    '_linkedBinding',
    'dlopen',
    'chdir',
    'setuid',
    'setgid',
    'seteuid',
    'setegid',
    'setgroups',
    'umask',
    '_debugProcess',
    'openStdin',
    'getBuiltinModule',
    '_getActiveHandles',
    '_getActiveRequests',
    'report',
  ]) {
    if (name in process) Object.defineProperty(process, name, { value: refuse(`process.${name}`), writable: false, configurable: false });
  }
  for (const key of Object.keys(process.env)) delete process.env[key];
}

/** Serves runs one at a time: `runner(message, report)` reports outcomes and returns the final status. */
export function serve(runner, info) {
  let busy = false;
  process.on('message', async (message) => {
    if (!message || message.type !== 'run' || busy) return;
    busy = true;
    const output = new Output(message.limits.outputBytes);
    const report = (outcome) => send({ type: 'outcome', id: message.id, outcome, output: output.take() });
    let done;
    try {
      done = await runner(message, report, output);
    } catch (error) {
      const text = String(error?.message ?? error).slice(0, 300);
      const why = /call stack/i.test(text) ? 'it ran out of stack (recursion too deep)' : text;
      done = { status: 'crashed', error: `Your code crashed the runner: ${why}.`, recycle: true };
    }
    clearTimers();
    send({ type: 'done', id: message.id, ...done, output: output.take() }, () => {
      busy = false;
      if (done.recycle) process.exit(0);
    });
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', info });
}
