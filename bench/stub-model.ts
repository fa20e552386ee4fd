/**
 * A small OpenAI-compatible model server for tests and benchmarks that need a real HTTP model in
 * another process: GET /v1/models, POST /v1/chat/completions (streamed and not) and POST
 * /v1/audio/transcriptions (multipart, as whisper servers take it) and POST /v1/audio/speech (silence). Its chat answers come from the
 * obedient scripted model (bench/calibration); it cannot hear, so a transcription is the scripted
 * `transcript`, spread over `transcriptSeconds` in timed segments. Its behaviour can be changed
 * while it runs with POST /__control:
 *   { "delayMs": 0, "firstTokenMs": 0, "tokenMs": 0, "fault": null | "500" | "429" | "drop" | "length" | "error",
 *     "transcript": "…", "transcriptSeconds": 30, "transcriptionFault": null | "500" | "401" | "drop" }
 *
 *   node --import tsx bench/stub-model.ts [--port 0]   prints "stub model on http://127.0.0.1:PORT/v1"
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { obedientReply } from './calibration/obedient-model.js';
import { wav } from './support/wav.js';

export interface StubBehaviour {
  /** Wait before answering anything. */
  delayMs: number;
  /** For streams: wait before the first token, and between tokens. */
  firstTokenMs: number;
  tokenMs: number;
  /** How to fail: an HTTP status, a dropped connection mid-reply, a reply cut off by its length limit, or an error event mid-reply. */
  fault: null | '500' | '429' | 'drop' | 'length' | 'error';
  /** What every recording "says", and how long it lasts. */
  transcript: string;
  transcriptSeconds: number;
  transcriptionFault: null | '500' | '401' | 'drop';
}

/** A spoken STAR answer with the fillers and pauses delivery feedback looks for. */
export const STUB_TRANSCRIPT =
  'So, um, at my last job our checkout service kept timing out during a big sale. ' +
  'I profiled the database calls and I found a missing index. I added the index, I put a cache in front of the catalogue, ' +
  'and, uh, I moved the confirmation emails to a queue. That reduced checkout errors by 80% in two days, ' +
  'and I learned to load-test before every sale.';

/** The transcript as verbose JSON: sentences as segments over the duration, with a pause after the first. */
function transcription(text: string, seconds: number) {
  const sentences = text.match(/[^.!?]+[.!?]*/g)?.map((s) => s.trim()) ?? [text];
  const words = sentences.map((s) => s.split(/\s+/).length);
  const total = words.reduce((a, b) => a + b, 0);
  const pause = sentences.length > 1 ? Math.min(4, seconds / 5) : 0;
  let at = 0;
  const segments = sentences.map((s, i) => {
    const length = ((seconds - pause) * words[i]!) / total;
    const segment = { id: i, start: Math.round(at * 100) / 100, end: Math.round((at + length) * 100) / 100, text: ` ${s}` };
    at += length + (i === 0 ? pause : 0);
    return segment;
  });
  return { task: 'transcribe', language: 'english', duration: seconds, text, segments };
}

const STREAM_TEXT = "Thanks, that's clear. Let's move on to the next question.";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const readBody = async (req: IncomingMessage) => (await readBytes(req)).toString('utf8');

export async function startStubModel(initial: Partial<StubBehaviour> = {}, port = 0) {
  const behaviour: StubBehaviour = {
    delayMs: 0,
    firstTokenMs: 0,
    tokenMs: 0,
    fault: null,
    transcript: STUB_TRANSCRIPT,
    transcriptSeconds: 30,
    transcriptionFault: null,
    ...initial,
  };
  const requests = { chat: 0, streams: 0, transcriptions: 0 };
  /** What it was asked to say (POST /v1/audio/speech). */
  const spoken: string[] = [];
  /** The recordings received, as the form carried them. */
  const recordings: Array<{ model: string; responseFormat: string; type: string; size: number }> = [];

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
    if (req.method === 'POST' && url.endsWith('/audio/transcriptions')) {
      // Parsed as the web platform parses multipart bodies.
      const form = await new Request('http://stub/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: new Uint8Array(await readBytes(req)),
      }).formData();
      const file = form.get('file');
      requests.transcriptions++;
      if (behaviour.delayMs) await sleep(behaviour.delayMs);
      if (behaviour.transcriptionFault === 'drop') return void res.destroy();
      if (behaviour.transcriptionFault) {
        res
          .writeHead(Number(behaviour.transcriptionFault), { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `stub ${behaviour.transcriptionFault}` } }));
        return;
      }
      if (!(file instanceof File) || !file.size) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no audio file' } }));
        return;
      }
      const responseFormat = String(form.get('response_format') ?? 'json');
      recordings.push({ model: String(form.get('model')), responseFormat, type: file.type, size: file.size });
      const full = transcription(behaviour.transcript, behaviour.transcriptSeconds);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(responseFormat === 'verbose_json' ? full : { text: full.text }));
      return;
    }
    if (req.method === 'POST' && url.endsWith('/audio/speech')) {
      const body = JSON.parse(await readBody(req));
      spoken.push(String(body.input));
      // A tenth of a second of silence as WAV: the page plays whatever audio it gets.
      res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav(() => 0, 0.1, 8000));
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
      if (behaviour.fault === 'error' && i === 3) {
        // What providers send when they give up mid-reply, after the 200 went out.
        send({ error: { message: 'The server is overloaded, please try again later', type: 'overloaded_error', code: 529 } });
        res.end();
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
    recordings,
    spoken,
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
