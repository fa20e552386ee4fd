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
