import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary folder, a free
 * port on 127.0.0.1, trust authentication, no fsync; `stop()` removes it. As root (CI), the
 * server runs as the `postgres` user Debian's package creates, since PostgreSQL refuses root.
 */
export interface Cluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  stop: () => void;
  /** Stops the server (a fast shutdown, as an operator or a crash would), keeping its data. */
  pause: () => void;
  /** Starts it again on the same port and data. */
  resume: () => void;
}

/** The folder of initdb and pg_ctl: PG_BIN, then Debian's /usr/lib/postgresql/<newest>/bin, then PATH. */
export function postgresBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const newest = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (newest) return join(debian, newest, 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) {
    throw new Error(
      "The PostgreSQL tests need PostgreSQL's server programs (initdb, pg_ctl): on Debian or Ubuntu `apt-get install postgresql` " +
        '(.ci/run does), or set PG_BIN to their folder, or TEST_DATABASE_URL to a server to use.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'mockloop-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(dir, 0o777);
  }
  const run = (program: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, program), asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args, {
      stdio: 'pipe',
      timeout: 60_000,
    });
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c max_connections=500',
    '-c shared_buffers=64MB',
  ];
  const start = () => run('pg_ctl', ['-D', data, '-o', options.join(' '), '-l', join(dir, 'log'), '-w', 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pause: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: start,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
