import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

/**
 * A recorded-shape OpenAI chat completions endpoint for msw. Each test queues the replies the
 * "model" gives, in order, and reads back the requests it received.
 */
export const BASE_URL = 'http://model.test/v1';

export type Reply =
  | {
      kind: 'json';
      content: string;
      finishReason?: string;
      refusal?: string;
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** The model the reply names (a dated version of the one asked for); else the one asked for. */
      model?: string;
    }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'network' }
  | { kind: 'delay'; ms: number; then: Reply }
  | {
      kind: 'stream';
      chunks: string[];
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** The model the reply names (a dated version of the one asked for); else the one asked for. */
      model?: string;
      /** How the stream ends: 'stop' (default), 'length', 'content_filter'. */
      finishReason?: string;
      /** The connection drops after this many chunks. */
      dropAfter?: number;
      /** After this many chunks the model stops writing until `release` resolves (a model still thinking). */
      holdAfter?: number;
      release?: Promise<void>;
    };

export function completion(content: string, extra: Partial<Extract<Reply, { kind: 'json' }>> = {}): Reply {
  return { kind: 'json', content, ...extra };
}

function createModelMock() {
  const queue: Reply[] = [];
  const requests: Array<Record<string, any>> = [];

  const respond = async (reply: Reply, body: Record<string, any>): Promise<Response> => {
    if (reply.kind === 'delay') {
      // A slow model is the behaviour a test asks for here (a timeout, a turn still running).
      await new Promise((r) => setTimeout(r, reply.ms));
      return respond(reply.then, body);
    }
    if (reply.kind === 'network') return HttpResponse.error();
    if (reply.kind === 'status') {
      return HttpResponse.json(reply.body ?? { error: { message: `status ${reply.status}`, type: 'server_error' } }, {
        status: reply.status,
        headers: reply.headers,
      });
    }
    if (reply.kind === 'stream') {
      const encoder = new TextEncoder();
      const id = 'chatcmpl-test';
      const stream = new ReadableStream({
        async start(controller) {
          const send = (data: unknown) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(data)}\n\n`));
          send({
            id,
            object: 'chat.completion.chunk',
            created: 0,
            model: reply.model ?? body.model,
            choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
          });
          for (let i = 0; i < reply.chunks.length; i++) {
            if (reply.holdAfter === i) await reply.release;
            if (reply.dropAfter === i) {
              controller.error(new TypeError('terminated'));
              return;
            }
            send({
              id,
              object: 'chat.completion.chunk',
              created: 0,
              model: reply.model ?? body.model,
              choices: [{ index: 0, delta: { content: reply.chunks[i] }, finish_reason: null }],
            });
            // Tokens a few ms apart, as a model streams them: readers see them arrive one by one.
            await new Promise((r) => setTimeout(r, 5));
          }
          send({
            id,
            object: 'chat.completion.chunk',
            created: 0,
            model: reply.model ?? body.model,
            choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason ?? 'stop' }],
          });
          if (reply.usage)
            send({
              id,
              object: 'chat.completion.chunk',
              created: 0,
              model: reply.model ?? body.model,
              choices: [],
              usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens },
            });
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
        },
      });
      return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
    }
    const usage = reply.usage ?? { prompt_tokens: 100, completion_tokens: 50 };
    return HttpResponse.json({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: reply.model ?? body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.refusal ? null : reply.content, refusal: reply.refusal ?? null },
          finish_reason: reply.finishReason ?? 'stop',
          logprobs: null,
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  };

  const state = { modelsDown: false };
  const server = setupServer(
    http.get(`${BASE_URL}/models`, () =>
      state.modelsDown
        ? HttpResponse.error()
        : HttpResponse.json({ object: 'list', data: [{ id: 'gpt-test', object: 'model', owned_by: 'test' }] }),
    ),
    http.post(`${BASE_URL}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, any>;
      requests.push(body);
      const reply = queue.shift();
      if (!reply) return HttpResponse.json({ error: { message: 'test queued no reply' } }, { status: 599 });
      return respond(reply, body);
    }),
  );

  return {
    server,
    state,
    requests,
    queue,
    reply: (...replies: Reply[]) => queue.push(...replies),
    listen: () =>
      server.listen({
        onUnhandledRequest: (req, print) => {
          const url = new URL(req.url);
          if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return;
          // The openai SDK fetches `data:,` to see whether this fetch can send FormData (an upload): not the network.
          if (url.protocol === 'data:') return;
          print.error();
        },
      }),
    reset: () => {
      state.modelsDown = false;
      queue.length = 0;
      requests.length = 0;
      server.resetHandlers();
    },
  };
}

export const MODEL_ENV = {
  PROVIDER: 'openai',
  OPENAI_BASE_URL: BASE_URL,
  OPENAI_API_KEY: 'sk-test',
  MODEL: 'gpt-test',
  OPENAI_TIMEOUT_MS: '1000',
  OPENAI_MAX_RETRIES: '0',
};

/** The one mocked model of the test run; test/setup.ts starts it, resets it after each test and stops it. */
export const mock = createModelMock();

/** Resolves once `condition` holds (checked on every turn of the event loop): a wait on what happened, not on the clock. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`the condition did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}
