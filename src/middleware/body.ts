import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from '../types.js';

/**
 * On Node, reads a JSON body whose length is declared (and already checked against the limit)
 * straight from the socket and gives its text to Hono's body cache, so `c.req.json()` builds no
 * fetch Request and no web streams to read a few hundred bytes. (Hono keeps a promise of the text
 * there.) Elsewhere, as in `app.request`, the body is read the usual way.
 */
export async function readDeclaredBody(c: Context<AppEnv>): Promise<void> {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!incoming || incoming.readableEnded) return;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
  } catch (e) {
    throw new AppError('bad_request', 'The request body was cut off before its declared length', { cause: e });
  }
  Object.assign(c.req.bodyCache, { text: Promise.resolve(Buffer.concat(chunks).toString('utf8')) });
}
