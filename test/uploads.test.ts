import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAt, sessionsOf } from './helpers/app.js';
import { spawnServer, useStubModel } from './helpers/process.js';

/**
 * Bodies an attacker sends, over a real socket to a server process: a multipart form of hundreds
 * of thousands of parts, a large body without a credential. Each is turned away before the body
 * is parsed (or read at all), and the server keeps answering meanwhile.
 */
const model = useStubModel();
const { processes } = model;

async function server(env: Record<string, string> = {}) {
  const p = await spawnServer({ DATABASE_PATH: ':memory:', ...env });
  processes.push(p);
  expect((await p.started).code, p.output()).toBeNull();
  return p;
}

/** A multipart body with `parts` tiny fields: about 60 bytes each. */
function manyParts(parts: number) {
  const boundary = 'xBOUNDARYx';
  const one = `--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n`;
  return { boundary, body: Buffer.from(one.repeat(parts) + `--${boundary}--\r\n`) };
}

/**
 * Sends raw bytes; resolves with the status, the body, and how long it took. With `firstBytesOnly`
 * it declares the whole body but sends only its first 64 KiB and waits: the answer can then only
 * come from a server that did not wait for the body (and no write races the server's close).
 */
function send(
  base: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  options: { firstBytesOnly?: boolean } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers: { 'content-length': String(body.length), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode!, text, ms: Date.now() - started });
        if (options.firstBytesOnly) req.destroy();
      });
    });
    req.on('error', reject);
    if (options.firstBytesOnly) req.write(body.subarray(0, 64 * 1024));
    else req.end(body);
  });
}

describe('a multipart upload of 395,000 parts', () => {
  it('is refused before it is parsed, and health keeps answering meanwhile', async () => {
    const s = await server({ TRANSCRIPTION_BASE_URL: `${model.stub().url}`, MAX_AUDIO_MB: '25' });
    const session = { id: await sessionsOf({ client: clientAt(s.base) }).start({ mix: { behavioral: 1 } }) };
    const { boundary, body } = manyParts(395_000);
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const upload = send(s.base, `/api/sessions/${session.id}/answer/audio`, body, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
      health.push(Date.now() - started);
    }
    const refused = await upload;
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/more than 8 parts/);
    expect(Math.max(...health)).toBeLessThan(1000);
    expect(refused.ms).toBeLessThan(5000);
  }, 30_000);

  it('to an unknown session, or on a server that cannot transcribe, is refused before the body is read', async () => {
    const s = await server();
    const { boundary, body } = manyParts(395_000);
    const type = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const early = { firstBytesOnly: true };
    expect((await send(s.base, '/api/sessions/no-such-session/answer/audio', body, type, early)).status).toBe(404);
    const session = { id: await sessionsOf({ client: clientAt(s.base) }).start({ mix: { behavioral: 1 } }) };
    expect((await send(s.base, `/api/sessions/${session.id}/answer/audio`, body, type, early)).status).toBe(501);
  }, 30_000);
});

describe('a body without a credential', () => {
  it('gets its 401 without the body being read, and the connection closes', async () => {
    const s = await server({ AUTH: 'token' });
    const body = Buffer.alloc(250 * 1024, 'a');
    const res = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = request(`${s.base}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      });
      req.on('response', (r) => {
        r.resume();
        resolve({ status: r.statusCode!, connection: r.headers.connection });
      });
      req.on('error', reject);
      // Only the first bytes: the answer comes without the rest.
      req.write(body.subarray(0, 1024));
    });
    expect(res.status).toBe(401);
    expect(res.connection).toBe('close');
  });
});
