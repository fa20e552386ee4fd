import { once } from 'node:events';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { REQUEST_ID_HEADER } from '../../middleware/request-log.js';
import { errorFields } from '../../observability/error-fields.js';
import type { AppEnv } from '../../types.js';

/** Sends one event; resolves when the client can take more (back-pressure), at once if it went away. */
export type Send = (event: string, data: unknown) => Promise<void>;

/**
 * A Server-Sent Events response. On Node it is written straight to the socket, with no web-stream
 * machinery in between: an open stream then costs a few tens of KB instead of several times that,
 * which matters with a thousand candidates waiting on a slow model. Elsewhere (app.request in
 * tests, other runtimes) it falls back to Hono's streamSSE. Either way a client that goes away
 * ends nothing but the writing: `produce` runs to the end.
 */
export async function eventStream(
  c: Context<AppEnv>,
  headers: Record<string, string>,
  produce: (send: Send) => Promise<void>,
): Promise<Response> {
  const out = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  const { logger, metrics } = c.var.deps;
  // Open from the headers until the turn's last event.
  metrics?.openStreams.inc();
  const closed = () => metrics?.openStreams.dec();
  if (!out) {
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return streamSSE(c, (stream) =>
      produce(
        inOrder(async (event, data) => {
          if (!stream.aborted) await stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => undefined);
        }),
      ).finally(closed),
    );
  }
  const { path } = c.req;
  out.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    [REQUEST_ID_HEADER]: c.var.requestId,
    ...headers,
  });
  const gone = once(out, 'close').then(() => undefined);
  // Not awaited: the handler and the middleware around it return now, so an open stream holds
  // only the turn it is producing, not every frame of the request's middleware chain (nor its context).
  void produce(
    inOrder(async (event, data) => {
      if (out.destroyed || out.writableEnded) return;
      if (!out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) await Promise.race([once(out, 'drain'), gone]);
    }),
  )
    .catch((e: unknown) =>
      // The turn reports its own failures as an `error` event; this is only what escaped it.
      logger.error({ event: 'stream_failed', path, error: errorFields(e) }, 'stream failed'),
    )
    .finally(() => {
      closed();
      if (!out.destroyed) out.end();
    });
  return RESPONSE_ALREADY_SENT;
}

/** Events go out in the order they were sent, each after the one before. */
function inOrder(write: Send): Send {
  let last = Promise.resolve();
  return (event, data) => (last = last.then(() => write(event, data)));
}
