import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, waitFor } from './helpers/process.js';

const ANSWER =
  'I led the migration of our billing service to a new queue. I measured the backlog, split the consumers by tenant and cut the p99 from 4 s to 300 ms.';

const servers: ServerProcess[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.child.kill('SIGKILL');
});

async function replica(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer({ LOG_LEVEL: 'info', ...env });
  servers.push(server);
  const { code } = await server.started;
  if (code !== null) throw new Error(`the server stopped (${code}): ${server.output()}`);
  return server;
}

/** The JSON log lines a server printed that carry `reqId`, once its request line is out (written as the response ends). */
const requestLines = (server: ServerProcess, reqId: string) =>
  waitFor(
    async () => (linesOf(server, reqId).some((l) => l.msg === 'request') ? linesOf(server, reqId) : undefined),
    5000,
    `${reqId}'s request line`,
  );

/** The JSON log lines a server printed that carry `reqId`. */
const linesOf = (server: ServerProcess, reqId: string) =>
  server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.reqId === reqId);

async function send(base: string, path: string, body: unknown, requestId: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(body),
  });
  return { status: res.status, id: res.headers.get('x-request-id'), body: (await res.json()) as any };
}

describe('request ids over real sockets', () => {
  it("follow one candidate's turns across two replicas when the proxy in front of them sends them", async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'mockloop-ids-')), 'db.sqlite');
    // The balancer is this test, on 127.0.0.1: the replicas trust it.
    const [a, b] = [
      await replica({ DATABASE_PATH: database, TRUSTED_PROXIES: '127.0.0.1' }),
      await replica({ DATABASE_PATH: database, TRUSTED_PROXIES: '127.0.0.1' }),
    ];
    const created = await send(a!.base, '/api/sessions', { questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 }, 'lb-start-1');
    expect(created.status).toBe(201);
    expect(created.id).toBe('lb-start-1');
    const turn = await send(b!.base, `/api/sessions/${created.body.id}/answer`, { text: ANSWER }, 'lb-turn-2');
    expect(turn.status).toBe(200);
    expect(turn.id).toBe('lb-turn-2');
    // Each replica's lines of the request it served carry the proxy's id: the request line, and the turn's own.
    expect((await requestLines(a!, 'lb-start-1')).map((l) => l.msg)).toContain('request');
    const onB = await requestLines(b!, 'lb-turn-2');
    expect(onB.map((l) => l.event ?? l.msg)).toEqual(expect.arrayContaining(['request', 'turn']));
    expect(onB.find((l) => l.msg === 'request')).toMatchObject({ route: '/api/sessions/:id/answer', res: { status: 200 } });
    expect(linesOf(a!, 'lb-turn-2')).toEqual([]);
  });

  it('gives a request its own id when the X-Request-Id comes from a client it does not trust', async () => {
    const server = await replica({ DATABASE_PATH: ':memory:', TRUSTED_PROXIES: '10.0.0.7' });
    const res = await send(server.base, '/api/sessions', { questionIds: ['amazon-32'] }, 'someone-elses-id');
    expect(res.status).toBe(201);
    expect(res.id).not.toBe('someone-elses-id');
    expect(res.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await requestLines(server, res.id!)).map((l) => l.msg)).toContain('request');
    expect(linesOf(server, 'someone-elses-id')).toEqual([]);
  });
});
