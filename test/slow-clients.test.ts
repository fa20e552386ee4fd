import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './helpers/process.js';

/** Slow clients over a real socket, against the server as `npm start` runs it (src/index.ts). */
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/** Node looks for timed-out requests every second (src/index.ts): the cut comes within that of the timeout. */
const CHECK_MS = 1000;

let server: ServerProcess | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});

async function start() {
  server = await spawnServer({
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'mockloop-slow-')), 'db.sqlite'),
    HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
  expect((await server.started).code, server.output()).toBeNull();
  return server;
}

/**
 * A client that sends `head` at once, then `trickle` one byte a second; resolves when the server
 * closes the connection, with what it answered and after how long.
 */
function slowClient(base: string, head: string, trickle: string): Promise<{ answer: string; afterMs: number; sent: number }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), '127.0.0.1');
    const began = Date.now();
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent < trickle.length && socket.writable) socket.write(trickle[sent++]!);
      }, 1000);
    });
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => {}); // a reset after the 408 is a close too
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, afterMs: Date.now() - began, sent });
    });
    setTimeout(() => reject(new Error('the server kept the slow client for 30 s')), 30_000).unref();
  });
}

/** /api/health, asked over and over until `done` settles: every status and the slowest answer. */
async function healthWhile(base: string, done: Promise<unknown>) {
  let over = false;
  void done.finally(() => (over = true));
  const statuses: number[] = [];
  let slowestMs = 0;
  while (!over) {
    const t = Date.now();
    statuses.push((await fetch(`${base}/api/health`)).status);
    slowestMs = Math.max(slowestMs, Date.now() - t);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { statuses, slowestMs };
}

describe('a slow client', () => {
  it('sending its body a byte a second is cut off after REQUEST_TIMEOUT_MS, while /api/health keeps answering', async () => {
    const { base } = await start();
    const body = JSON.stringify({ mix: { behavioral: 1 }, seed: 'x'.repeat(60) });
    const head = `POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const client = slowClient(base, head, body);
    const health = await healthWhile(base, client);
    const { answer, afterMs, sent } = await client;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + CHECK_MS + 1500);
    expect(sent).toBeLessThan(body.length);
    expect(health.statuses.length).toBeGreaterThanOrEqual(5);
    expect(new Set(health.statuses)).toEqual(new Set([200]));
    expect(health.slowestMs).toBeLessThan(500);
  });

  it('sending its headers a byte a second is cut off after HEADERS_TIMEOUT_MS', async () => {
    const { base } = await start();
    const client = slowClient(base, 'GET /api/health HTTP/1.1\r\n', 'Host: 127.0.0.1\r\nX-Slow: yes\r\n\r\n');
    const health = await healthWhile(base, client);
    const { answer, afterMs } = await client;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + CHECK_MS + 1500);
    expect(new Set(health.statuses)).toEqual(new Set([200]));
  });
});
