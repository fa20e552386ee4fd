/**
 * A small OpenAI-compatible model server for tests and benchmarks that need a real HTTP model in
 * another process: GET /v1/models and POST /v1/chat/completions, streamed and not. Its answers
 * come from the obedient scripted model (bench/calibration), and its behaviour can be changed
 * while it runs with POST /__control:
 *   { "delayMs": 0, "firstTokenMs": 0, "tokenMs": 0, "fault": null | "500" | "429" | "drop" | "length" }
 *
 *   node --import tsx bench/stub-model.ts [--port 0]   prints "stub model on http://127.0.0.1:PORT/v1"
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { obedientReply } from './calibration/obedient-model.js';

export interface StubBehaviour {
  /** Wait before answering anything. */
  delayMs: number;
  /** For streams: wait before the first token, and between tokens. */
  firstTokenMs: number;
  tokenMs: number;
  /** How to fail: an HTTP status, a dropped connection mid-reply, or a reply cut off by its length limit. */
  fault: null | '500' | '429' | 'drop' | 'length';
}

const STREAM_TEXT = "Thanks, that's clear. Let's move on to the next question.";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStubModel(initial: Partial<StubBehaviour> = {}, port = 0) {
  const behaviour: StubBehaviour = { delayMs: 0, firstTokenMs: 0, tokenMs: 0, fault: null, ...initial };
  const requests = { chat: 0, streams: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/__control') {
      Object.assign(behaviour, JSON.parse((await readBody(req)) || '{}'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour));
      return;
    }
    if (req.method === 'GET' && url.endsWith('/models')) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: 'stub', object: 'model' }] }));
      return;
    }
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req));
    requests.chat++;
    if (behaviour.delayMs) await sleep(behaviour.delayMs);
    if (behaviour.fault === '500' || behaviour.fault === '429') {
      res
        .writeHead(Number(behaviour.fault), { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `stub ${behaviour.fault}` } }));
      return;
    }
    const base = { id: 'chatcmpl-stub', created: 0, model: body.model };
    if (!body.stream) {
      const content = obedientReply(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
        }),
      );
      return;
    }
    requests.streams++;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    if (behaviour.firstTokenMs) await sleep(behaviour.firstTokenMs);
    chunk({ role: 'assistant', content: '' });
    const words = STREAM_TEXT.split(/(?<= )/);
    for (let i = 0; i < words.length; i++) {
      if (behaviour.fault === 'drop' && i === 3) {
        res.destroy();
        return;
      }
      chunk({ content: words[i] });
      if (behaviour.tokenMs) await sleep(behaviour.tokenMs);
      if (res.destroyed) return;
    }
    chunk({}, behaviour.fault === 'length' ? 'length' : 'stop');
    send({
      ...base,
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 80, completion_tokens: words.length, total_tokens: 80 + words.length },
    });
    res.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    behaviour,
    requests,
    set: (b: Partial<StubBehaviour>) => Object.assign(behaviour, b),
    close: () => new Promise<void>((r) => server.close(() => r())),
    server,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const stub = await startStubModel({}, Number(values.port));
  console.log(`stub model on ${stub.url}`);
}
