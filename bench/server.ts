/**
 * Server throughput and streaming benchmark. In one run it starts, each as its own process, a
 * bare Hono JSON server (the baseline), mockloop on a throwaway SQLite database with the offline
 * provider, a local OpenAI-compatible stub model, and mockloop pointed at that stub; then it
 * measures, with N concurrent clients (16 by default) on Node's own fetch, the HTTP client of the
 * tools that call this API (each client sends its next request when the last one is answered):
 *   - requests/s, p50 and p99 of each row, with its ratio to the bare server's requests/s (the
 *     row and the bare server take turns in five rounds after a second of warm-up; the ratio is
 *     the median of the rounds');
 *   - the time to first token a candidate sees, against the stub's own (sequential streams, after
 *     a few not counted);
 *   - N concurrent streams (default 1,000): peak RSS over idle, KB per stream, first-token p50/p99;
 *   - when PostgreSQL's server programs are installed, health and the answer turn on a throwaway
 *     PostgreSQL cluster with one replica, and the answer turn with two replicas on it (against
 *     the bare server, and against one replica, taking turns);
 *   - the statements one offline answer turn sends to each database (counted as they leave the
 *     driver, in an app run in this process), and one client's answer turn latency on each (the two servers taking turns).
 * Ratios, not absolute figures: this machine is shared and noisy.
 *
 *   npm run bench:server                      a table
 *   npm run bench:server -- --json            the same figures as JSON
 *   npm run bench:server -- --streams 200 --duration 5 --connections 16
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Cluster, postgresBin, startCluster } from './support/postgres-cluster.js';
import { oneClientEach, statementsPerTurn, type Turns } from './support/statements.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    streams: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const STREAMS = Number(args.streams);
/** Streams measured one after another for the added time to first token: enough for a steady p50 and p99. */
const SEQUENTIAL_STREAMS = 100;
/** Streams sent first and not counted: a process compiles its hot code during its first requests. */
const WARM_UP_STREAMS = 20;

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts `node --import tsx <script>` and resolves with its URL once it prints one. */
function start(script: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)(\/v1)?/.exec(out);
      if (!m) return;
      // From here its log lines are read and dropped as they come: kept (and searched again at each
      // chunk) they would slow this process, and a pipe read slowly blocks the server writing to it.
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({ url: m[1]!, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}): ${out}`)));
  });
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

interface Row {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  ratio?: number;
}

type Bare = Parameters<typeof compare>[0];

interface Sample {
  latencies: number[];
  non2xx: number;
  seconds: number;
}

/** Latencies of `send` over `seconds`, from CONNECTIONS clients each sending its next request when the last is answered. */
async function measure(send: () => Promise<Response>, seconds: number): Promise<Sample> {
  const latencies: number[] = [];
  let non2xx = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const res = await send();
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status >= 300) non2xx++;
      }
    }),
  );
  return { latencies, non2xx, seconds: (performance.now() - started) / 1000 };
}

function rowOf(name: string, samples: Sample[], ratio?: number): Row {
  const latencies = samples.flatMap((x) => x.latencies);
  const seconds = samples.reduce((t, x) => t + x.seconds, 0);
  return {
    name,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx: samples.reduce((t, x) => t + x.non2xx, 0),
    ratio,
  };
}

/** Rounds per row: the row and the bare server take turns, a slice of DURATION / ROUNDS seconds each. */
const ROUNDS = 5;
/** Seconds each row (and the bare server, once) runs before it is measured. */
const WARM_UP_SECONDS = 1;
const rps = (x: Sample) => x.latencies.length / x.seconds;
const median = (xs: number[]) => percentile(xs, 50);

/**
 * Measures a row against the bare server in turns: ROUNDS rounds of a slice of the bare server
 * then a slice of the row, the ratio being the median of the rounds' ratios. A noisy moment on
 * this shared machine then weighs on both sides of one round's ratio, not on one side of a whole
 * row's. Every bare slice also counts towards the bare server's own row.
 */
async function compare(
  bare: { send: () => Promise<Response>; samples: Sample[] },
  name: string,
  send: () => Promise<Response>,
): Promise<Row> {
  const slice = DURATION / ROUNDS;
  // Not counted: the row's first requests compile its code (a fresh route runs at half speed).
  await measure(send, WARM_UP_SECONDS);
  const samples: Sample[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const b = await measure(bare.send, slice);
    const r = await measure(send, slice);
    bare.samples.push(b);
    samples.push(r);
    ratios.push(rps(r) / rps(b));
  }
  return rowOf(name, samples, median(ratios));
}

const get = (url: string) => () => fetch(url);
const postJson = (url: string | (() => string), body: unknown) => () =>
  fetch(typeof url === 'string' ? url : url(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const STRONG =
  'DynamoDB replicates every partition across three Availability Zones, and writes succeed once a quorum of replicas persist them, so a node failure loses no data. ' +
  'Failed nodes are repaired with hinted handoff and anti-entropy with Merkle trees, and storage is decoupled from compute so each scales independently.';
const ALL_QUESTIONS = Array.from({ length: 20 }, (_, i) => `amazon-${31 + i}`);

/** Sessions of 20 questions, none answered yet: each answer turn moves one of them on by a question. */
async function sessionsFor(base: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await post(`${base}/api/sessions`, { questionIds: ALL_QUESTIONS, maxFollowUps: 0 })).id);
  return ids;
}

/**
 * The answer turn: each request takes a session no other request is answering (a second answer
 * to a busy session would be a 409), answers its current question, and gives it back. With
 * several replicas, the requests go to each in turn (a round-robin balancer).
 */
async function answerSender(bases: string[]): Promise<() => Promise<Response>> {
  const free = (await sessionsFor(bases[0]!, 400)).map((id) => ({ id, answered: 0 }));
  let turn = 0;
  return async () => {
    const session = free.shift();
    if (!session) throw new Error('bench:server ran out of sessions: raise the pool');
    const base = bases[turn++ % bases.length]!;
    const res = await postJson(`${base}/api/sessions/${session.id}/answer`, { text: `${STRONG} (Answer ${session.answered + 1}.)` })();
    if (++session.answered < ALL_QUESTIONS.length) free.push(session);
    return res;
  };
}

async function answerRow(bare: Bare, bases: string[], name = 'POST /api/sessions/:id/answer (offline, graded)'): Promise<Row> {
  return compare(bare, name, await answerSender(bases));
}

/** Turns one client sends to a server before any is counted: a fresh process compiles its hot code during its first hundreds. */
const SINGLE_CLIENT_WARM_UP = 100;
const SINGLE_CLIENT_BLOCKS = 10;
const SINGLE_CLIENT_PER_BLOCK = 20;

/**
 * One client answering back to back on each server, taking turns by blocks (`oneClientEach`): the
 * median answer turn of each in ms, and of each over the first's. Each server has already run its
 * throughput rows (and the warm-up turns): measured on a fresh process, the PostgreSQL turn read
 * 2–3 ms slower than on a warm one.
 */
async function singleClients(bases: string[]) {
  const perServer = SINGLE_CLIENT_WARM_UP + SINGLE_CLIENT_BLOCKS * SINGLE_CLIENT_PER_BLOCK;
  const sends = await Promise.all(
    bases.map(async (base) => {
      const sessions = await sessionsFor(base, Math.ceil(perServer / ALL_QUESTIONS.length));
      return (i: number) =>
        post(`${base}/api/sessions/${sessions[Math.floor(i / ALL_QUESTIONS.length)]}/answer`, { text: `${STRONG} (${i}.)` });
    }),
  );
  return oneClientEach(sends, { warmUp: SINGLE_CLIENT_WARM_UP, blocks: SINGLE_CLIENT_BLOCKS, perBlock: SINGLE_CLIENT_PER_BLOCK });
}

/**
 * Milliseconds to the first streamed token: of the stub directly, or of a candidate's turn through
 * mockloop. Resolves when the stream has ended, so sequential streams never overlap.
 */
function firstToken(url: string, body: unknown, agent: Agent, marker: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'text/event-stream' } },
      (res) => {
        let first: number | undefined;
        let buffer = '';
        res.on('data', (d: Buffer) => {
          if (first !== undefined) return;
          buffer += d.toString();
          if (marker.test(buffer)) first = performance.now() - started;
        });
        res.on('end', () => (first !== undefined ? resolve(first) : reject(new Error(`no token from ${url}: ${buffer.slice(0, 300)}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const STUB_STREAM = { model: 'stub', stream: true, messages: [{ role: 'user', content: 'go' }] };
const TOKEN_FROM_STUB = /"content":"[^"]+"/;
const TOKEN_FROM_MOCKLOOP = /event: token/;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The same requests on PostgreSQL (a throwaway cluster on this machine): health and the answer
 * turn with one replica, then the answer turn with two replicas on the same schema, the clients
 * alternating between them. Skipped, and said so, when PostgreSQL's programs are not installed.
 */
async function postgresRows(bare: Bare, turns: Turns, sqliteBase: string): Promise<Row[]> {
  if (!postgresBin()) {
    console.error('bench:server: no PostgreSQL server programs (apt-get install postgresql): the PostgreSQL rows are skipped');
    return [];
  }
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster();
    const env = { DATABASE_URL: cluster.url, DATABASE_SCHEMA: 'bench' };
    const statements = await statementsPerTurn(
      { DATABASE_URL: cluster.url, DATABASE_SCHEMA: 'bench_count' },
      'postgres',
      ALL_QUESTIONS,
      STRONG,
    );
    const one = await start('src/index.ts', env);
    const rows = [
      await compare(bare, 'GET /api/health (PostgreSQL)', get(`${one.url}/api/health`)),
      await answerRow(bare, [one.url], 'POST answer (PostgreSQL, 1 replica)'),
    ];
    // After its rows, as SQLite's server has run its own; the two take turns.
    const single = await singleClients([sqliteBase, one.url]);
    turns.sqlite.singleClientMs = single.ms[0]!;
    const two = await start('src/index.ts', env);
    // Warmed as long as the first replica was by its rows (not counted): in service both are warm.
    await measure(await answerSender([two.url]), DURATION + WARM_UP_SECONDS);
    rows.push(await answerRow(bare, [one.url, two.url], 'POST answer (PostgreSQL, 2 replicas)'));
    // The two against the one directly, taking turns as a row and the bare server do.
    const replicas = await compare({ send: await answerSender([one.url]), samples: [] }, '', await answerSender([one.url, two.url]));
    turns.postgres = { statements, singleClientMs: single.ms[1]!, ratioToSqlite: single.ratios[1]!, twoReplicasOverOne: replicas.ratio! };
    one.child.kill('SIGKILL');
    two.child.kill('SIGKILL');
    return rows;
  } finally {
    cluster?.stop();
  }
}

async function main() {
  const db = (name: string) => join(mkdtempSync(join(tmpdir(), 'mockloop-bench-')), name);
  const [bare, offline, stub] = await Promise.all([
    start('bench/support/bare-hono.ts'),
    start('src/index.ts', { DATABASE_PATH: db('offline.db') }),
    start('bench/stub-model.ts'),
  ]);
  const stubV1 = `${stub.url}/v1`;
  const withModel = await start('src/index.ts', {
    DATABASE_PATH: db('model.db'),
    OPENAI_BASE_URL: stubV1,
    OPENAI_API_KEY: 'stub',
    MODEL: 'stub',
    OPENAI_TIMEOUT_MS: '120000',
    // The streams below are many model requests from one user in a minute: the per-user limit would refuse them.
    RATE_LIMIT_PER_MINUTE: '0',
  });

  const baseline: Bare = { send: get(bare.url), samples: [] };
  await measure(baseline.send, WARM_UP_SECONDS);
  const rows: Row[] = [];
  rows.push(await compare(baseline, 'GET /api/health', get(`${offline.url}/api/health`)));
  rows.push(await compare(baseline, 'GET /api/questions?limit=20', get(`${offline.url}/api/questions?limit=20`)));
  // Every answer a little different, so no cache of a previous grading can serve it.
  let n = 0;
  rows.push(
    await compare(baseline, 'POST /api/grade (offline)', () =>
      postJson(`${offline.url}/api/grade`, { questionId: 'amazon-32', answer: `${STRONG} (Answer ${++n}.)` })(),
    ),
  );
  rows.push(await answerRow(baseline, [offline.url]));
  const turns: Turns = {
    sqlite: {
      statements: await statementsPerTurn({ DATABASE_PATH: db('count.db') }, 'sqlite', ALL_QUESTIONS, STRONG),
      // Measured again with PostgreSQL's, taking turns, when PostgreSQL is installed.
      singleClientMs: (await singleClients([offline.url])).ms[0]!,
    },
  };
  rows.push(...(await postgresRows(baseline, turns, offline.url)));
  rows.unshift(rowOf('bare Hono JSON GET', baseline.samples, 1));

  // Time to first token: a skipped question streams the interviewer's next words straight away.
  await post(`${stub.url}/__control`, { firstTokenMs: 20, tokenMs: 2, delayMs: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const direct: number[] = [];
  const through: number[] = [];
  const sessions = await sessionsFor(withModel.url, WARM_UP_STREAMS + SEQUENTIAL_STREAMS);
  for (let i = 0; i < sessions.length; i++) {
    const stub = await firstToken(`${stubV1}/chat/completions`, STUB_STREAM, agent, TOKEN_FROM_STUB);
    const mockloop = await firstToken(`${withModel.url}/api/sessions/${sessions[i]}/skip`, undefined, agent, TOKEN_FROM_MOCKLOOP);
    if (i < WARM_UP_STREAMS) continue;
    direct.push(stub);
    through.push(mockloop);
  }
  const ttft = {
    stub: { p50: percentile(direct, 50), p99: percentile(direct, 99) },
    mockloop: { p50: percentile(through, 50), p99: percentile(through, 99) },
    added: { p50: percentile(through, 50) - percentile(direct, 50), p99: percentile(through, 99) - percentile(direct, 99) },
  };

  // N streams held open at once: the stub waits, then writes slowly.
  const burst = await sessionsFor(withModel.url, STREAMS);
  const pid = withModel.child.pid!;
  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const idle = rssMb(pid);
  await post(`${stub.url}/__control`, { firstTokenMs: 1500, tokenMs: 150 });
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 25);
  const burstAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const firsts = await Promise.all(
    burst.map((id) => firstToken(`${withModel.url}/api/sessions/${id}/skip`, undefined, burstAgent, TOKEN_FROM_MOCKLOOP)),
  );
  await new Promise((r) => setTimeout(r, 2500));
  clearInterval(sampler);
  const streams = {
    n: STREAMS,
    idleRssMb: idle,
    peakRssMb: peak,
    overIdleMb: peak - idle,
    kbPerStream: ((peak - idle) * 1024) / STREAMS,
    firstToken: { p50: percentile(firsts, 50), p99: percentile(firsts, 99) },
  };

  const result = { connections: CONNECTIONS, durationSeconds: DURATION, rows, turns, ttft, streams };
  if (args.json) {
    console.log(JSON.stringify(result));
  } else {
    const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(`bench:server — ${CONNECTIONS} connections, ${DURATION} s per row, one run (ratios are what to compare)\n`);
    console.log('| request | requests/s | p50 ms | p99 ms | ratio to bare Hono |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${f(r.requestsPerSecond)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.ratio!, 3)}${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''} |`,
      );
    }
    const pgTurn = turns.postgres;
    console.log(
      `\nstatements per answer turn: SQLite ${turns.sqlite.statements}, PostgreSQL ${pgTurn ? pgTurn.statements : '–'}; ` +
        `one client's answer turn p50 (the two taking turns): SQLite ${f(turns.sqlite.singleClientMs, 1)} ms, PostgreSQL ${pgTurn ? `${f(pgTurn.singleClientMs, 1)} ms (${f(pgTurn.ratioToSqlite, 2)} × SQLite's)` : '–'}`,
    );
    if (pgTurn) console.log(`answer turns/s on PostgreSQL, 2 replicas over 1 (taking turns): ${f(pgTurn.twoReplicasOverOne, 2)}`);
    console.log(
      `Time to first token (${SEQUENTIAL_STREAMS} sequential streams after ${WARM_UP_STREAMS} not counted, stub first token after 20 ms): stub p50 ${f(ttft.stub.p50, 1)} ms, p99 ${f(ttft.stub.p99, 1)} ms; through mockloop p50 ${f(ttft.mockloop.p50, 1)} ms, p99 ${f(ttft.mockloop.p99, 1)} ms; added p50 ${f(ttft.added.p50, 1)} ms, p99 ${f(ttft.added.p99, 1)} ms`,
    );
    console.log(
      `${f(streams.n)} concurrent streams: idle RSS ${f(streams.idleRssMb)} MB, peak ${f(streams.peakRssMb)} MB, ${f(streams.overIdleMb)} MB over idle, ${f(streams.kbPerStream)} KB per stream; first token p50 ${f(streams.firstToken.p50)} ms, p99 ${f(streams.firstToken.p99)} ms (the stub waits 1,500 ms)`,
    );
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(`bench:server failed: ${(e as Error).stack}`);
  process.exit(1);
});
