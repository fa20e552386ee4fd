import Database from 'better-sqlite3';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { start } from '../../src/start.js';

/**
 * Counts the statements this process sends to its databases, as they leave it: on PostgreSQL each
 * `query` of a node-postgres client (one round trip to the server, BEGIN and COMMIT included), on
 * SQLite each statement better-sqlite3 runs (`run`, `get`, `all`, `iterate`, `exec`, pragmas).
 * `start()` patches both drivers once; `take()` returns the counts since the last `take()` and
 * resets them. The patch stays for the life of the process: it only counts.
 */
export interface StatementCounter {
  take(): Counts;
}

/** Statements sent, by database; on PostgreSQL their texts, and how many went as named (prepared) statements. */
interface Counts {
  sqlite: number;
  postgres: number;
  postgresText: string[];
  postgresNamed: number;
}

let counts: Counts | undefined;

export function countStatements(): StatementCounter {
  if (!counts) {
    counts = { sqlite: 0, postgres: 0, postgresText: [], postgresNamed: 0 };
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['run', 'get', 'all', 'iterate']) {
      const original = statement[name]!;
      statement[name] = function (this: unknown, ...args: unknown[]) {
        counts!.sqlite++;
        return original.apply(this, args);
      };
    }
    const database = Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const exec = database.exec!;
    database.exec = function (this: unknown, ...args: unknown[]) {
      counts!.sqlite++;
      return exec.apply(this, args);
    };
    probe.close();
    const client = pg.Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const query = client.query!;
    client.query = function (this: unknown, ...args: unknown[]) {
      counts!.postgres++;
      const first = args[0] as string | { text?: string; name?: string } | undefined;
      counts!.postgresText.push(typeof first === 'string' ? first : (first?.text ?? '?'));
      if (typeof first === 'object' && first?.name) counts!.postgresNamed++;
      return query.apply(this, args);
    };
  }
  return {
    take() {
      const taken = { ...counts! };
      counts!.sqlite = 0;
      counts!.postgres = 0;
      counts!.postgresText = [];
      counts!.postgresNamed = 0;
      return taken;
    },
  };
}

/**
 * The statements one offline answer turn (graded, next question asked) sends to its database:
 * an app in this process on `env`'s database, its drivers counting (bench/support/statements.ts).
 * The session's second turn is counted, a turn like any other (the first caches the questions).
 */
export async function statementsPerTurn(
  env: Record<string, string>,
  kind: 'sqlite' | 'postgres',
  questionIds: string[],
  answer: string,
): Promise<number> {
  const counter = countStatements();
  const deps = start(env, { log: () => {} });
  const app = createApp(deps);
  const call = async (path: string, body: unknown) => {
    const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const { id } = await call('/api/sessions', { questionIds: questionIds, maxFollowUps: 0 });
  await call(`/api/sessions/${id}/answer`, { text: answer });
  counter.take();
  await call(`/api/sessions/${id}/answer`, { text: `${answer} (Again.)` });
  const n = counter.take()[kind];
  await deps.store.close();
  return n;
}

/**
 * Per database: statements one offline answer turn sends, and one client's median answer turn in
 * ms; PostgreSQL's turn over SQLite's, measured in alternating blocks (`oneClientEach`).
 */
export type Turns = Record<'sqlite', { statements: number; singleClientMs: number }> & {
  postgres?: {
    statements: number;
    singleClientMs: number;
    ratioToSqlite: number;
    /** Answer turns per second with two replicas over one, the two taking turns. */
    twoReplicasOverOne: number;
  };
};

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/**
 * One client sending back to back to each of `sends` in turn, `blocks` blocks of `perBlock`
 * requests each, after `warmUp` each not counted: the median ms of each, and the median over the
 * blocks of each one's block median over the first's. Taking turns, a noisy moment on this shared
 * machine weighs on both sides of one block's ratio, not on one side of the whole figure.
 */
export async function oneClientEach(
  sends: Array<(i: number) => Promise<unknown>>,
  { warmUp, blocks, perBlock }: { warmUp: number; blocks: number; perBlock: number },
): Promise<{ ms: number[]; ratios: number[] }> {
  const next = sends.map(() => 0);
  const timed = async (k: number) => {
    const t = performance.now();
    await sends[k]!(next[k]!++);
    return performance.now() - t;
  };
  for (let k = 0; k < sends.length; k++) for (let i = 0; i < warmUp; i++) await timed(k);
  const all: number[][] = sends.map(() => []);
  const ratios: number[][] = sends.map(() => []);
  for (let b = 0; b < blocks; b++) {
    const block: number[] = [];
    for (let k = 0; k < sends.length; k++) {
      const latencies: number[] = [];
      for (let i = 0; i < perBlock; i++) latencies.push(await timed(k));
      all[k]!.push(...latencies);
      block.push(median(latencies));
    }
    block.forEach((m, k) => ratios[k]!.push(m / block[0]!));
  }
  return { ms: all.map(median), ratios: ratios.map(median) };
}
