import { fork, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Language } from '../types.js';

/**
 * How a language's worker process is started: which script, which package it loads, and the
 * Node flags that fence it in. The worker may read only its own folder and its runtime's package
 * (Node's permission model: no other file, no file writes, no child processes, no worker threads,
 * no native add-ons), cannot compile code from strings (eval, new Function), and gets an empty
 * environment (no secrets of the server).
 */
export interface WorkerSpec {
  language: Language;
  script: string;
  /** The runtime's module, passed to the worker as a file URL. */
  module: string;
  readable: string[];
  /** V8's stack (KB): QuickJS's stack limit is set below what it can hold. */
  stackKb: number;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The folder of an installed package (some do not export their package.json). */
function packageDir(name: string, from = require): string {
  const entry = from.resolve(name);
  const marker = `node_modules/${name}/`;
  return realpathSync(entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1));
}

export function workerSpec(language: Language): WorkerSpec {
  if (language === 'javascript') {
    const main = packageDir('quickjs-emscripten');
    const fromMain = createRequire(join(main, 'package.json'));
    const core = packageDir('quickjs-emscripten-core', fromMain);
    const variants = dirname(packageDir('@jitl/quickjs-wasmfile-release-sync', fromMain));
    return {
      language,
      script: join(HERE, 'worker-javascript.mjs'),
      module: pathToFileURL(join(main, 'dist', 'index.mjs')).href,
      readable: [HERE, main, core, variants],
      stackKb: 3900,
    };
  }
  const pyodide = packageDir('pyodide');
  return {
    language,
    script: join(HERE, 'worker-python.mjs'),
    module: pathToFileURL(join(pyodide, 'pyodide.mjs')).href,
    readable: [HERE, pyodide],
    stackKb: 3900,
  };
}

/** Node 20 calls the permission model --experimental-permission, Node 22+ --permission. */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
}

export function startWorker(spec: WorkerSpec, heapMb: number): ChildProcess {
  const execArgv = [
    permissionFlag(),
    ...spec.readable.map((dir) => `--allow-fs-read=${join(realpathSync(dir), '*')}`),
    '--disallow-code-generation-from-strings',
    `--stack-size=${spec.stackKb}`,
    `--max-old-space-size=${heapMb}`,
    '--no-warnings',
  ];
  return fork(spec.script, [spec.module], {
    execArgv,
    env: {},
    cwd: HERE,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
}

/** The resident memory of a process in bytes (Linux), or undefined where /proc is not there. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
    return Number(statm.split(' ')[1]) * 4096;
  } catch {
    return undefined;
  }
}
