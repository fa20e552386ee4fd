import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { startServer } from './helpers/browser.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.server.close());

describe('over real HTTP', () => {
  it('answers an oversized body with 413, and the next request on the same keep-alive pool works', async () => {
    const { id } = (await (await fetch(`${server.base}/api/sessions`, { method: 'POST' })).json()) as { id: string };
    const big = await fetch(`${server.base}/api/sessions/${id}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(3_000_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    for (let i = 0; i < 3; i++) {
      const next = await fetch(`${server.base}/api/health`);
      expect(next.status).toBe(200);
    }
  });
});

describe('JSON bodies over real HTTP', () => {
  const grade = (body: BodyInit, init: RequestInit = {}) =>
    fetch(`${server.base}/api/grade`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...init });

  it('reads a body with a declared length and a chunked one alike, and keeps every character as written', async () => {
    const answer = 'DynamoDB keeps three replicas — one per AZ — so “naïve” failover loses nothing ✓ 数据.';
    const declared = await grade(JSON.stringify({ questionId: 'amazon-32', answer }));
    const bytes = new TextEncoder().encode(JSON.stringify({ questionId: 'amazon-32', answer }));
    // Split inside a multi-byte character, as a slow client may send it.
    const cut = bytes.indexOf(0xe2) + 1;
    const chunked = await grade(
      new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut));
          controller.close();
        },
      }),
      { duplex: 'half' } as RequestInit,
    );
    expect([declared.status, chunked.status]).toEqual([200, 200]);
    type Graded = { score: number; criteria: unknown };
    const a = (await declared.json()) as Graded;
    const b = (await chunked.json()) as Graded;
    expect(a.score).toBe(b.score);
    expect(a.criteria).toEqual(b.criteria);

    const { id } = (await (await fetch(`${server.base}/api/sessions`, { method: 'POST' })).json()) as { id: string };
    const sent = await fetch(`${server.base}/api/sessions/${id}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: answer }),
    });
    expect(sent.status).toBe(200);
    const session = (await (await fetch(`${server.base}/api/sessions/${id}`)).json()) as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(session.messages.filter((m) => m.role === 'candidate').map((m) => m.content)).toEqual([answer]);
  });

  it('answers malformed JSON with a 400 that says so', async () => {
    const res = await grade('{"questionId": "amazon-32", "answer": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request', message: 'Request body is not valid JSON' } });
  });
});

describe('AUTH=proxy over real HTTP', () => {
  it('believes the user header only from a trusted proxy address', async () => {
    const trusted = await startServer({ AUTH: 'proxy', TRUSTED_PROXIES: '127.0.0.1' });
    const untrusted = await startServer({ AUTH: 'proxy', TRUSTED_PROXIES: '10.1.2.3' });
    try {
      const me = await fetch(`${trusted.base}/api/me`, { headers: { 'x-forwarded-user': 'carol' } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { name: 'carol' }, mode: 'proxy', via: 'proxy' });
      expect((await fetch(`${trusted.base}/api/me`)).status).toBe(401);
      expect((await fetch(`${untrusted.base}/api/me`, { headers: { 'x-forwarded-user': 'carol' } })).status).toBe(401);
    } finally {
      trusted.server.close();
      untrusted.server.close();
    }
  });
});

describe('security headers over real HTTP', () => {
  const securityOf = (res: Response) =>
    Object.fromEntries(
      [...res.headers].filter(([name]) => /^(content-security-policy|x-|strict-transport|referrer|cross-origin|origin-agent)/.test(name)),
    );

  it('sends the same security headers as Hono on the page, on API replies, on errors and on event streams', async () => {
    const app = createApp(server.deps);
    const expected = securityOf(await app.request('/', { headers: { host: '127.0.0.1' } }));
    expect(expected['content-security-policy']).toMatch(/form-action 'none'/);
    expect(expected['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(expected['x-frame-options']).toBe('SAMEORIGIN');
    expect(expected['x-content-type-options']).toBe('nosniff');

    const { id } = (await (await fetch(`${server.base}/api/sessions`, { method: 'POST' })).json()) as { id: string };
    const stream = await fetch(`${server.base}/api/sessions/${id}/skip`, { method: 'POST', headers: { accept: 'text/event-stream' } });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.text();
    for (const res of [
      await fetch(`${server.base}/`),
      await fetch(`${server.base}/api/health`),
      await fetch(`${server.base}/api/nope`),
      stream,
    ]) {
      expect(Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]))).toEqual(expected);
    }
  });

  it('lets only the API reference style itself inline', async () => {
    const docs = await fetch(`${server.base}/docs.html`);
    expect(docs.headers.get('content-security-policy')).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(docs.headers.get('content-security-policy')).toMatch(/form-action 'none'/);
  });
});
