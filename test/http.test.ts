import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
