import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Accounts } from '../src/accounts/accounts.js';
import { SqliteStore } from '../src/db/sqlite/store.js';
import { ROOT, type ServerProcess, spawnServer } from './helpers/process.js';

let server: ServerProcess | undefined;
afterAll(() => server?.child.kill('SIGKILL'));

describe('the typed client for other tools', () => {
  it('runs the README example as written: starts a session and answers it with a token', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'mockloop-client-')), 'db.sqlite');
    const store = new SqliteStore(db);
    const accounts = new Accounts(store);
    await accounts.addUser('script');
    const { token } = await accounts.createToken('script', { name: 'example' });
    await store.close();
    server = await spawnServer({ DATABASE_PATH: db, AUTH: 'token' });
    expect((await server.started).code, server.output()).toBeNull();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/typed-client.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', MOCKLOOP_URL: server.base, MOCKLOOP_TOKEN: token },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Q: .*DynamoDB/m);
    expect(run.stdout).toMatch(/Graded \d+(\.\d)?\/100 \(\w+\) by the offline grader/);
    expect(run.stdout).toMatch(/Session finished, 1 of 1 graded/);
    // without the token the same script is refused
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'examples/typed-client.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', MOCKLOOP_URL: server.base },
      encoding: 'utf8',
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/could not start a session: 401/);
  }, 40_000);
});

describe('the README', () => {
  it('shows the typed-client example exactly as the file the test runs', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = readFileSync(join(ROOT, 'examples/typed-client.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
