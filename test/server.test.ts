import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | undefined;
afterEach(() => child?.kill());

/** Starts `npm start`'s command as one process; resolves with its output once it listens or exits. */
function startServer(env: Record<string, string>, cwd = ROOT) {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  return new Promise<{ output: string; code: number | null }>((resolve) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/listening on/.test(output)) resolve({ output, code: null });
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.on('exit', (code) => resolve({ output, code }));
  });
}

describe('the server process', () => {
  it('starts with no key, serves the bank, and a restart changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mockloop-'));
    const dbPath = join(dir, 'sub', 'mockloop.db');
    const port = await freePort();
    const first = await startServer({ PORT: String(port), DATABASE_PATH: dbPath });
    expect(first.output).toMatch(/provider: offline/);
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', provider: 'offline' });
    const list = await (await fetch(`http://127.0.0.1:${port}/api/questions?source=amazon&limit=100`)).json();
    expect(list.total).toBe(80);
    child!.kill();
    await new Promise((r) => child!.once('exit', r));

    const snapshot = () => new Database(dbPath, { readonly: true }).prepare('select * from questions order by id').all();
    const before = snapshot();
    await startServer({ PORT: String(port), DATABASE_PATH: dbPath });
    expect(snapshot()).toEqual(before);
    const journal = new Database(dbPath, { readonly: true }).pragma('journal_mode', { simple: true });
    expect(journal).toBe('wal');
  });

  it('refuses to start on an invalid setting, naming the variable', async () => {
    const { output, code } = await startServer({ PORT: 'http', DATABASE_PATH: ':memory:' });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT="http": must be a whole number from 0 to 65535/);
  });

  it('serves the page from a checkout whose path has a space in it', async () => {
    const checkout = join(mkdtempSync(join(tmpdir(), 'mockloop ')), 'my projects', 'mockloop');
    for (const part of ['src', 'web', 'rubrics', 'prompts', 'drizzle', 'package.json'])
      cpSync(join(ROOT, part), join(checkout, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
    const port = await freePort();
    const started = await startServer({ PORT: String(port), DATABASE_PATH: ':memory:' }, checkout);
    expect(started.code).toBeNull();
    for (const path of ['/', '/app.js', '/styles.css', '/vendor/marked.js']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status, path).toBe(200);
    }
  });

  it.each([
    ['a port in use', (port: number) => ({ PORT: String(port) }), /mockloop could not start: PORT=\d+: the port is already in use/],
    [
      'a host this machine does not have',
      () => ({ HOST: '10.255.255.1', AUTH: 'token' }),
      /mockloop could not start: HOST=10\.255\.255\.1: this machine has no such address/,
    ],
    ['AUTH=none on every interface', () => ({ HOST: '0.0.0.0' }), /mockloop could not start: HOST=0\.0\.0\.0 with AUTH=none/],
    [
      'a file that is not a database',
      () => ({ DATABASE_PATH: 'NOT_A_DB' }),
      /mockloop could not start: DATABASE_PATH=.*: cannot use the SQLite database at .*: file is not a database/,
    ],
    [
      'a PostgreSQL server that does not answer, without showing its password',
      () => ({ DATABASE_URL: 'postgres://mockloop:s3cret@127.0.0.1:1/mockloop' }),
      /mockloop could not start: DATABASE_URL=postgres:\/\/mockloop:\*\*\*@127\.0\.0\.1:1\/mockloop: cannot use the PostgreSQL database: connect ECONNREFUSED/,
    ],
  ])('stops on %s with one line naming the setting', async (_name, env, message) => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const busy = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'mockloop-'));
    writeFileSync(join(dir, 'not.db'), 'this is plain text, not SQLite');
    const settings = env(busy) as Record<string, string>;
    if (settings.DATABASE_PATH) settings.DATABASE_PATH = join(dir, 'not.db');
    const { output, code } = await startServer({ PORT: String(await freePort()), DATABASE_PATH: ':memory:', ...settings });
    blocker.close();
    expect(code).toBe(1);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('s3cret');
  });
});
