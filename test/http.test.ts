import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { body, clientAt, sessionsOf } from './helpers/app.js';
import { startServer } from './helpers/browser.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { decide, say } from './helpers/replies.js';
import { parseSse } from './helpers/sse.js';

/**
 * What only runs under @hono/node-server, over a real socket: reading a JSON body straight from
 * the request (and holding it to the limit), writing an event stream straight to the response,
 * and the security headers set on the Node response. `app.request` tests never reach these paths.
 * Each test has a server (and an in-memory database) of its own.
 */
const servers: Array<Awaited<ReturnType<typeof startServer>>> = [];
async function listen(env: Record<string, string> = {}) {
  const server = await startServer(env);
  servers.push(server);
  return { ...server, client: clientAt(server.base), sessions: sessionsOf({ client: clientAt(server.base) }) };
}
afterEach(() => {
  for (const { server } of servers.splice(0)) server.close();
});

/** Rejects with `what` if `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
  );
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('JSON bodies over real HTTP', () => {
  // Raw: these send bodies as bytes on purpose (split inside a character, chunked, cut, too large).
  const grade = (base: string, body: BodyInit, init: RequestInit = {}) =>
    fetch(`${base}/api/grade`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...init });
  const oneChunkAtATime = (...chunks: Uint8Array[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });

  it('reads a body with a declared length and a chunked one alike, and keeps every character as written', async () => {
    const { base, sessions } = await listen();
    const answer = 'DynamoDB keeps three replicas — one per AZ — so “naïve” failover loses nothing ✓ 数据.';
    const declared = await grade(base, JSON.stringify({ questionId: 'amazon-32', answer }));
    const bytes = new TextEncoder().encode(JSON.stringify({ questionId: 'amazon-32', answer }));
    // Split inside a multi-byte character, as a slow client may send it.
    const cut = bytes.indexOf(0xe2) + 1;
    const chunked = await grade(base, oneChunkAtATime(bytes.slice(0, cut), bytes.slice(cut)), { duplex: 'half' } as RequestInit);
    expect([declared.status, chunked.status]).toEqual([200, 200]);
    type Graded = { score: number; criteria: unknown };
    const a = (await declared.json()) as Graded;
    const b = (await chunked.json()) as Graded;
    expect(a.score).toBe(b.score);
    expect(a.criteria).toEqual(b.criteria);

    const id = await sessions.start({});
    await body(sessions.answer(id, answer), 200);
    const session = await sessions.get(id);
    expect(session.messages.filter((m) => m.role === 'candidate').map((m) => m.content)).toEqual([answer]);
  });

  it('answers malformed JSON with a 400 that says so', async () => {
    const { base } = await listen();
    const res = await grade(base, '{"questionId": "amazon-32", "answer": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request', message: 'Request body is not valid JSON' } });
  });

  it('answers a declared body over 256 KiB with 413, and the next request on the same keep-alive pool works', async () => {
    const { base, sessions } = await listen();
    const id = await sessions.start({});
    const big = await fetch(`${base}/api/sessions/${id}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(3_000_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    for (let i = 0; i < 3; i++) {
      const next = await fetch(`${base}/api/health`);
      expect(next.status).toBe(200);
    }
  });

  it('counts a chunked body, which declares no length, and answers 413 once it passes 256 KiB', async () => {
    const { base, sessions } = await listen();
    const id = await sessions.start({});
    const url = new URL(`${base}/api/sessions/${id}/answer`);
    // node:http, so the answer is read even though the server stops reading the body and closes.
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
      req.on('response', (r) => {
        let text = '';
        r.on('data', (d: Buffer) => (text += d.toString()));
        r.on('end', () => resolve({ status: r.statusCode!, text }));
      });
      req.on('error', reject);
      req.write('{"text":"');
      const piece = 'x'.repeat(64 * 1024);
      const more = (left: number): void => {
        if (left === 0 || req.destroyed) return void req.end('"}');
        if (req.write(piece)) more(left - 1);
        else req.once('drain', () => more(left - 1));
      };
      more(48);
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({
      error: { code: 'payload_too_large', message: 'The request body is larger than 256 KiB' },
    });
    expect((await sessions.get(id)).messages.filter((m) => m.role === 'candidate')).toEqual([]);
  });
});

describe('event streams over real HTTP', () => {
  it('sends each event as it happens, well-formed, with the stream headers', async () => {
    const { client, sessions } = await listen(MODEL_ENV);
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    // The model writes its first words, then stops until the test has seen them arrive.
    mock.reply(decide('followup', 'depth'), { ...say('How does ', 'it fail ', 'over?'), holdAfter: 1, release: released });
    const res = await client.api.sessions[':id'].answer.$post(
      { param: { id }, header: {}, json: { text: 'It replicates across AZs.' } },
      { headers: { accept: 'text/event-stream' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');

    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the stream ended early: ${JSON.stringify(text)}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    // The first token comes while the model is still writing: nothing waits for the whole reply.
    await within(
      readUntil(() => text.includes('\n\n')),
      5000,
      'the first event while the model is still writing',
    );
    expect(parseSse(text)).toEqual([{ event: 'token', data: { text: 'How does ' } }]);
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    // Every event is `event: <name>`, one `data:` line of JSON, and a blank line.
    const blocks = text.split('\n\n');
    expect(blocks.pop()).toBe('');
    for (const block of blocks) expect(block).toMatch(/^event: [a-z]+\ndata: \{.*\}$/);
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['token', 'token', 'token', 'message', 'done']);
    expect(
      events
        .filter((e) => e.event === 'token')
        .map((e) => e.data.text)
        .join(''),
    ).toBe('How does it fail over?');
    expect(events[3]!.data).toMatchObject({ kind: 'followup', content: 'How does it fail over?' });
  });
});

describe('AUTH=proxy over real HTTP', () => {
  it('believes the user header only from a trusted proxy address', async () => {
    const trusted = await listen({ AUTH: 'proxy', TRUSTED_PROXIES: '127.0.0.1' });
    const untrusted = await listen({ AUTH: 'proxy', TRUSTED_PROXIES: '10.1.2.3' });
    const me = await fetch(`${trusted.base}/api/me`, { headers: { 'x-forwarded-user': 'carol' } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { name: 'carol' }, mode: 'proxy', via: 'proxy' });
    expect((await fetch(`${trusted.base}/api/me`)).status).toBe(401);
    expect((await fetch(`${untrusted.base}/api/me`, { headers: { 'x-forwarded-user': 'carol' } })).status).toBe(401);
  });
});

describe('security headers over real HTTP', () => {
  const securityOf = (res: Response) =>
    Object.fromEntries(
      [...res.headers].filter(([name]) =>
        /^(content-security-policy|x-(?!request-id)|strict-transport|referrer|cross-origin|origin-agent)/.test(name),
      ),
    );

  it('sends the same security headers as Hono on the page, on API replies, on errors and on event streams', async () => {
    const { base, deps, sessions } = await listen();
    const app = createApp(deps);
    const expected = securityOf(await app.request('/', { headers: { host: '127.0.0.1' } }));
    expect(expected['content-security-policy']).toMatch(/form-action 'none'/);
    expect(expected['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(expected['x-frame-options']).toBe('SAMEORIGIN');
    expect(expected['x-content-type-options']).toBe('nosniff');

    const id = await sessions.start({});
    const stream = await fetch(`${base}/api/sessions/${id}/skip`, { method: 'POST', headers: { accept: 'text/event-stream' } });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.text();
    for (const res of [await fetch(`${base}/`), await fetch(`${base}/api/health`), await fetch(`${base}/api/nope`), stream]) {
      expect(Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]))).toEqual(expected);
      // Each its own request id, the event stream's Node fast path included.
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('lets only the API reference style itself inline', async () => {
    const { base } = await listen();
    const docs = await fetch(`${base}/docs.html`);
    expect(docs.headers.get('content-security-policy')).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(docs.headers.get('content-security-policy')).toMatch(/form-action 'none'/);
  });
});
