import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelFetch } from '../src/llm/transport.js';
import { mock } from './helpers/openai-mock.js';

// Real sockets only: msw's interceptor would stand between the transport and the server (and
// read replies through without waiting for the reader).
beforeAll(() => mock.server.close());

/** A real HTTP server on this machine for one test: what it received, and how it answers. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const received: Array<{ method: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method!, headers: req.headers, body });
    handle(req, res, body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}
const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('the model transport', () => {
  it('sends method, headers and a JSON body with its length (not chunked), and returns status, headers and body', async () => {
    const { url, received } = await serve((_req, res) => res.writeHead(201, { 'x-request-id': 'req_1' }).end('{"ok":true}'));
    const res = await modelFetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'naïve café ✓' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req_1');
    expect(await res.json()).toEqual({ ok: true });
    expect(received[0]).toMatchObject({ method: 'POST', body: '{"text":"naïve café ✓"}' });
    expect(received[0]!.headers).toMatchObject({
      authorization: 'Bearer k',
      'content-length': String(Buffer.byteLength('{"text":"naïve café ✓"}')),
    });
    expect(received[0]!.headers['transfer-encoding']).toBeUndefined();
  });

  it('hands over each piece of a streamed reply as it arrives, before the reply ends', async () => {
    let finish!: () => void;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      finish = () => res.end('data: last\n\n');
    });
    const res = await modelFetch(url, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    finish();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: last\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('takes a reply only as fast as the caller reads it (back-pressure)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const total = 64 * 1024 * 1024;
    let written = 0;
    const { url } = await serve((_req, res) => {
      res.writeHead(200);
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const reader = (await modelFetch(url, { method: 'POST', body: '{}' })).body!.getReader();
    await reader.read();
    // The server waits for the caller: once the sockets' buffers are full, it writes nothing more.
    let held = -1;
    await expect
      .poll(
        async () => {
          const before = written;
          // Nothing happening is what is tested: no event says "wrote nothing for a while", so this waits a while.
          await new Promise((r) => setTimeout(r, 200));
          held = written;
          return held === before;
        },
        { timeout: 10_000, interval: 0 },
      )
      .toBe(true);
    expect(held).toBeLessThan(total / 4);
    for (let i = 0; i < 200; i++) await reader.read();
    expect(written).toBeGreaterThan(held);
    await reader.cancel();
  });

  it('ends a reply being read with an AbortError when the caller aborts, and closes the connection', async () => {
    let closed = false;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      res.on('close', () => (closed = true));
    });
    const controller = new AbortController();
    const res = await modelFetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => closed).toBe(true);
  });

  it('rejects with an AbortError when aborted before the reply comes, and at once when already aborted', async () => {
    const { url, received } = await serve(() => {});
    const controller = new AbortController();
    const pending = modelFetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    // Aborted once the server has the request, and before it answers (it never does).
    await expect.poll(() => received.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(modelFetch(url, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('does not follow a redirect: it is an error naming it', async () => {
    const { url, received } = await serve((_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:9/' }).end());
    await expect(modelFetch(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/unexpected redirect \(302\) to http:\/\/127\.0\.0\.1:9\//) },
    });
    expect(received).toHaveLength(1);
  });

  it('rejects with the connection error and its code when nothing listens', async () => {
    const { url } = await serve(() => {});
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    await expect(modelFetch(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('encodes a multipart form as fetch would, with its boundary in the content type', async () => {
    const { url, received } = await serve((_req, res) => res.writeHead(204).end());
    const form = new FormData();
    form.append('model', 'whisper-1');
    form.append('file', new Blob([new Uint8Array([1, 2, 3])], { type: 'audio/wav' }), 'answer.wav');
    const res = await modelFetch(url, { method: 'POST', body: form });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    const type = received[0]!.headers['content-type']!;
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(received[0]!.body).toContain('name="model"\r\n\r\nwhisper-1');
    expect(received[0]!.body).toContain('filename="answer.wav"');
  });
});

describe('a model that stops its streamed reply with an error event', () => {
  it("keeps the provider's status and words, over real HTTP, and says the turn may be retried", async () => {
    const { startStubModel } = await import('../bench/stub-model.js');
    const { createModel } = await import('../src/llm/client.js');
    const { streamText } = await import('../src/llm/stream.js');
    const stub = await startStubModel();
    try {
      stub.set({ fault: 'error' });
      const llm = createModel({ ...MODEL_CONFIG, baseURL: `${stub.url}` });
      const tokens: string[] = [];
      const err = await streamText(llm, [{ role: 'user', content: 'Ask me a question.' }], (t) => void tokens.push(t)).catch(
        (e: unknown) => e,
      );
      expect(tokens.length).toBe(3);
      expect(err).toMatchObject({ code: 'model_unavailable', upstreamStatus: 529, retryable: true });
      expect((err as Error).message).toMatch(/\(529, overloaded_error\): The server is overloaded/);
      expect((err as Error).message).not.toMatch(/no status/);
    } finally {
      await stub.close();
    }
  });
});

const MODEL_CONFIG = {
  apiKey: 'stub',
  baseURL: undefined,
  model: 'stub',
  responseFormat: 'json_schema' as const,
  timeoutMs: 10_000,
  maxRetries: 0,
};
