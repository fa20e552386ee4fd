/**
 * The database going away under load, for real (issue 20's "done when"):
 *   - PostgreSQL: a throwaway cluster, two replicas of the server (`node --import tsx
 *     src/index.ts` with DATABASE_URL), clients answering sessions on both; PostgreSQL is
 *     stopped (a fast shutdown) for 30 s and started again.
 *   - SQLite: two processes on one file, clients answering; another program holds the write lock
 *     for 10 s (`BEGIN IMMEDIATE`, as a backup or a sqlite3 shell would).
 * Each client sends every answer with an Idempotency-Key and sends it again, with the same key,
 * on a 503, a 409 or a lost connection until it is acknowledged. Printed: replicas alive after,
 * readiness during (polls from 2 s after the fault) and after, how long both took to say not ready, answers acknowledged, lost (acknowledged but not stored), doubled
 * (stored twice), 503s seen (and their Retry-After), 500s, health's slowest answer, and the time
 * to ready after the restart.
 *
 *   npm run bench:outage
 *   npm run bench:outage -- --only sqlite --clients 16 --outage 30 --lock 10 --json
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { type Cluster, postgresBin, startCluster } from './support/postgres-cluster.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    clients: { type: 'string', default: '8' },
    outage: { type: 'string', default: '30' },
    lock: { type: 'string', default: '10' },
  },
});
const whole = (name: string, v: string | undefined, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} ${v}: must be a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
};
const CLIENTS = whole('clients', args.clients, 1, 200);
const OUTAGE_S = whole('outage', args.outage, 1, 600);
const LOCK_S = whole('lock', args.lock, 1, 600);
if (args.only !== undefined && args.only !== 'postgres' && args.only !== 'sqlite') {
  console.error(`--only ${args.only}: must be postgres or sqlite`);
  process.exit(2);
}
/** Load before and after the fault, seconds. */
const STEADY_S = 5;
/** How long a client keeps sending its last answer again once the run ends, before it gives up. */
const FINISH_MS = 60_000;

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

interface Replica {
  base: string;
  child: ChildProcess;
  output: () => string;
}

/** `npm start`'s command on a free port; resolves once it listens. */
function replica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ base: m[1]!, child, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`a replica exited (${code}) before listening: ${out}`)));
  });
}

const ANSWER = 'DynamoDB replicates each partition across three Availability Zones, and a write succeeds once a quorum has it.';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the clients saw. */
interface Tally {
  acknowledged: { session: string; text: string }[];
  /** Answers sent at least once, acknowledged or not. */
  sent: { session: string; text: string }[];
  sessions: Set<string>;
  statuses: Map<number, number>;
  /** 503s without a whole-number Retry-After. */
  noRetryAfter: number;
  codes503: Map<string, number>;
  networkErrors: number;
  gaveUp: number;
}

/** POST with a JSON body, on whichever replica `pick` gives; the status, the body and Retry-After, or null when the connection failed. */
async function send(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any, retryAfter: res.headers.get('retry-after') };
  } catch {
    return null;
  }
}

/** Clients answering sessions on the replicas in turn until `running()` is false; each finishes the answer it is on. */
function load(replicas: Replica[], running: () => boolean): { tally: Tally; done: Promise<void> } {
  const tally: Tally = {
    acknowledged: [],
    sent: [],
    sessions: new Set(),
    statuses: new Map(),
    noRetryAfter: 0,
    codes503: new Map(),
    networkErrors: 0,
    gaveUp: 0,
  };
  let turn = 0;
  const next = () => replicas[turn++ % replicas.length]!.base;
  const note = (r: Awaited<ReturnType<typeof send>>) => {
    if (!r) return void tally.networkErrors++;
    tally.statuses.set(r.status, (tally.statuses.get(r.status) ?? 0) + 1);
    if (r.status === 503) {
      const code = String(r.body?.error?.code);
      tally.codes503.set(code, (tally.codes503.get(code) ?? 0) + 1);
      if (!/^\d+$/.test(r.retryAfter ?? '')) tally.noRetryAfter++;
    }
  };
  /** Waits as the server asks (at most a second: the bench wants to see the outage end). */
  const backOff = (r: Awaited<ReturnType<typeof send>>) => pause(Math.min(1000, Math.max(100, Number(r?.retryAfter ?? 0) * 1000)));

  async function newSession(): Promise<string | undefined> {
    while (running()) {
      const r = await send(next(), '/api/sessions', { mix: { technical: 5, behavioral: 5 }, maxFollowUps: 0 });
      note(r);
      if (r?.status === 201) return r.body.id as string;
      await backOff(r);
    }
    return undefined;
  }

  async function client(n: number) {
    let session = await newSession();
    for (let i = 0; session && running(); i++) {
      const text = `${ANSWER} (client ${n}, answer ${i})`;
      const key = randomUUID();
      tally.sent.push({ session, text });
      const until = Date.now() + FINISH_MS;
      let finished = false;
      for (;;) {
        const r = await send(next(), `/api/sessions/${session}/answer`, { text }, { 'idempotency-key': key });
        note(r);
        if (r?.status === 200) {
          tally.acknowledged.push({ session, text });
          finished = r.body.session?.status === 'finished';
          break;
        }
        if (r && r.status !== 503 && r.status !== 409 && r.status < 500) throw new Error(`answer: ${r.status} ${JSON.stringify(r.body)}`);
        if (!running() && Date.now() > until) {
          tally.gaveUp++;
          break;
        }
        await backOff(r);
      }
      if (finished) session = await newSession();
    }
  }

  const done = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n))).then(() => {
    for (const s of tally.sent) tally.sessions.add(s.session);
  });
  return { tally, done };
}

/** Polls /api/ready and, apart, /api/health of every replica until `stop()`: each answer with its time. */
function watch(replicas: Replica[]) {
  const polls: { at: number; replica: number; ready: boolean }[] = [];
  const health: { at: number; ms: number; status: number }[] = [];
  let on = true;
  const loop = async (probe: () => Promise<void>) => {
    while (on) {
      await probe();
      await pause(200);
    }
  };
  const done = Promise.all(
    replicas.flatMap((r, i) => [
      loop(async () => {
        const ready = await fetch(`${r.base}/api/ready`, { signal: AbortSignal.timeout(5000) })
          .then((x) => x.status === 200)
          .catch(() => false);
        polls.push({ at: Date.now(), replica: i, ready });
      }),
      loop(async () => {
        const t = Date.now();
        const status = await fetch(`${r.base}/api/health`, { signal: AbortSignal.timeout(5000) })
          .then((x) => x.status)
          .catch(() => 0);
        health.push({ at: t, ms: Date.now() - t, status });
      }),
    ]),
  );
  return {
    polls,
    health,
    stop: async () => {
      on = false;
      await done;
    },
  };
}

/** Every stored answer of the sessions, counted by text: lost and doubled against what the clients saw. */
async function check(base: string, tally: Tally) {
  const stored = new Map<string, number>();
  for (const id of tally.sessions) {
    const s = (await (await fetch(`${base}/api/sessions/${id}`)).json()) as { messages: { kind: string; content: string }[] };
    for (const m of s.messages) if (m.kind === 'answer') stored.set(m.content, (stored.get(m.content) ?? 0) + 1);
  }
  return {
    lost: tally.acknowledged.filter((a) => !stored.has(a.text)).length,
    doubled: [...stored.values()].filter((n) => n > 1).length,
    storedNotAcknowledged: tally.sent.filter((s) => stored.has(s.text) && !tally.acknowledged.some((a) => a.text === s.text)).length,
  };
}

const count = (m: Map<number | string, number>) =>
  [...m]
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

/** Runs load on the replicas, applies `fault` in the middle, and reports what every side saw. */
async function run(name: string, replicas: Replica[], fault: (mark: (what: string) => void) => Promise<void>) {
  let running = true;
  const marks: Record<string, number> = {};
  const mark = (what: string) => (marks[what] = Date.now());
  const { tally, done } = load(replicas, () => running);
  const watcher = watch(replicas);
  await pause(STEADY_S * 1000);
  await fault(mark);
  // Both ready again, then steady load.
  const lastPoll = (i: number) => [...watcher.polls].reverse().find((p) => p.replica === i);
  const readyAgain = () => replicas.every((_, i) => lastPoll(i)?.ready && lastPoll(i)!.at > marks.back!);
  while (!readyAgain() && Date.now() - marks.back! < 120_000) await pause(100);
  mark('ready');
  await pause(STEADY_S * 1000);
  running = false;
  await done;
  await watcher.stop();
  const during = watcher.polls.filter((p) => p.at > marks.down! + 2000 && p.at < marks.back!);
  const after = replicas.map((_, i) => lastPoll(i)!);
  const alive = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  for (const r of replicas.filter((x) => !alive.includes(x))) {
    console.error(`a replica exited (${r.child.exitCode ?? r.child.signalCode}); its last output:\n${r.output().slice(-3000)}`);
  }
  const checked = alive[0] ? await check(alive[0].base, tally) : { lost: NaN, doubled: NaN, storedNotAcknowledged: NaN };
  return {
    name,
    replicasAliveAfter: `${alive.length}/${replicas.length}`,
    readyDuring: `false in ${during.filter((p) => !p.ready).length} of ${during.length} polls`,
    timeToNotReadyMs: Math.max(
      0,
      ...replicas.map((_, i) => (watcher.polls.find((p) => p.replica === i && p.at > marks.down! && !p.ready)?.at ?? NaN) - marks.down!),
    ),
    readyAfter: after.every((p) => p.ready),
    timeToReadyAfterRestartMs: marks.ready! - marks.back!,
    answersSent: tally.sent.length,
    acknowledged: tally.acknowledged.length,
    lost: checked.lost,
    doubled: checked.doubled,
    storedNotAcknowledged: checked.storedNotAcknowledged,
    gaveUp: tally.gaveUp,
    sessions: tally.sessions.size,
    statuses: count(tally.statuses),
    responses503: tally.statuses.get(503) ?? 0,
    codes503: count(tally.codes503),
    without503RetryAfter: tally.noRetryAfter,
    responses500: tally.statuses.get(500) ?? 0,
    networkErrors: tally.networkErrors,
    healthStatuses: count(watcher.health.reduce((m, p) => m.set(p.status, (m.get(p.status) ?? 0) + 1), new Map<number, number>())),
    healthSlowestMs: Math.max(...watcher.health.map((p) => p.ms)),
    healthSlowestDuringMs: Math.max(0, ...watcher.health.filter((p) => p.at > marks.down! && p.at < marks.back!).map((p) => p.ms)),
    unhandledInLogs: replicas.filter((r) => /unhandled|uncaught/i.test(r.output())).length,
  };
}

async function postgres() {
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster();
    const env = { DATABASE_URL: cluster.url, DATABASE_SCHEMA: 'outage', DATABASE_POOL_SIZE: '8' };
    // One after the other: the first creates the schema.
    const first = await replica(env);
    const replicas = [first, await replica(env)];
    return await run(`PostgreSQL stopped ${OUTAGE_S} s, 2 replicas, ${CLIENTS} clients`, replicas, async (mark) => {
      mark('down');
      cluster!.pause();
      await pause(OUTAGE_S * 1000);
      cluster!.resume();
      mark('back');
    });
  } finally {
    cluster?.stop();
  }
}

async function sqlite() {
  const path = join(mkdtempSync(join(tmpdir(), 'mockloop-outage-')), 'db.sqlite');
  const first = await replica({ DATABASE_PATH: path });
  const replicas = [first, await replica({ DATABASE_PATH: path })];
  return run(`SQLite locked ${LOCK_S} s by another program, 2 processes on one file, ${CLIENTS} clients`, replicas, async (mark) => {
    // Taken without waiting on this process's event loop: tried again until the replicas let go.
    const other = new Database(path, { timeout: 0 });
    for (;;) {
      try {
        other.exec('BEGIN IMMEDIATE');
        break;
      } catch {
        await pause(5);
      }
    }
    mark('down');
    await pause(LOCK_S * 1000);
    other.exec('ROLLBACK');
    other.close();
    mark('back');
  });
}

const results = [];
if (args.only !== 'sqlite') {
  if (postgresBin()) results.push(await postgres());
  else console.error('PostgreSQL case skipped: no initdb/pg_ctl (apt-get install postgresql, or set PG_BIN)');
}
if (args.only !== 'postgres') results.push(await sqlite());
for (const c of children) c.kill('SIGKILL');

if (args.json) console.log(JSON.stringify(results, null, 2));
else {
  for (const r of results) {
    console.log(`\n${r.name}`);
    for (const [k, v] of Object.entries(r)) if (k !== 'name') console.log(`  ${k.padEnd(26)} ${v}`);
  }
}
const failed = results.filter(
  (r) => !r.replicasAliveAfter.startsWith('2/') || r.lost || r.doubled || r.responses500 || !r.readyAfter || r.unhandledInLogs,
);
process.exitCode = failed.length ? 1 : 0;
