import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startStubModel } from '../../bench/stub-model.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
  /** Resolves once it listens, or with its exit code if it stops first. */
  started: Promise<{ code: number | null }>;
  exited: Promise<number | null>;
}

/** `npm start`'s command as one process (so a kill reaches the server itself). */
export async function spawnServer(env: Record<string, string>, cwd = ROOT): Promise<ServerProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: port },
  });
  let output = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const started = new Promise<{ code: number | null }>((resolve) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/listening on/.test(output)) resolve({ code: null });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => resolve({ code }));
  });
  return { child, base: `http://127.0.0.1:${port}`, output: () => output, started, exited };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * For a test file whose servers talk to the stub model in another process: starts the stub
 * before the file's tests, kills the file's server processes after each test and resets the
 * stub's behaviour. `stub()` is the running stub; push servers onto `processes`.
 */
export function useStubModel() {
  let stub: Awaited<ReturnType<typeof startStubModel>> | undefined;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    stub = await startStubModel();
  });
  afterEach(() => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
    stub?.set({ delayMs: 0, firstTokenMs: 0, tokenMs: 0, fault: null });
  });
  afterAll(() => stub?.close());
  return { stub: () => stub!, processes };
}
