import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * The model clients' HTTP transport: a `fetch` for the OpenAI SDK sent over Node's own http and
 * https modules, with one keep-alive agent per protocol. A streamed reply is read as it arrives
 * from the socket (back-pressure included) and handed to the SDK as a standard Response.
 *
 * Why not the global fetch: for each call it builds a WHATWG Request, copies the body through a
 * web stream and keeps the fetch algorithm's controllers alive until the reply ends. With a
 * thousand interviewer replies held open on a slow model that was about a quarter of the memory
 * of an open stream, and a turn spent half a millisecond more before its model call
 * (`npm run bench:server`; README, Throughput).
 *
 * It behaves as the SDK expects of fetch: an abort (the turn's deadline, the SDK's timeout) ends
 * the request or the reply being read with an AbortError; a connection failure rejects with
 * Node's error (its `code` says what happened); a redirect is not followed but is an error (an
 * API endpoint that redirects is a wrong OPENAI_BASE_URL: a POST sent on after a 301 or 302
 * becomes a GET). The http modules are looked up per call, so an interceptor installed later
 * (msw in tests) is honoured.
 */
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

/** Statuses whose response has no body (fetch refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export async function modelFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`Only http and https model URLs are supported, not ${url.protocol}`);
  const headers = new Headers(init.headers);
  const body = await encodeBody(init.body, headers);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortError(signal);
  const secure = url.protocol === 'https:';
  const send = secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent: secure ? httpsAgent : httpAgent, signal },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          res.resume();
          reject(
            new TypeError('fetch failed', {
              cause: new Error(`unexpected redirect (${status}) to ${res.headers.location ?? 'an unknown location'}`),
            }),
          );
          return;
        }
        // An abort while the reply is read ends it as fetch does: with an AbortError.
        const onAbort = () => res.destroy(abortError(signal!));
        signal?.addEventListener('abort', onAbort, { once: true });
        res.once('close', () => signal?.removeEventListener('abort', onAbort));
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const nullBody = NULL_BODY.has(status) || init.method === 'HEAD';
        if (nullBody) res.resume();
        resolve(
          new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status,
            statusText: res.statusMessage,
            headers: responseHeaders,
          }),
        );
      },
    );
    // After the reply has begun, a failure reaches its body instead: this only settles the start.
    req.on('error', reject);
    req.end(body);
  });
}

/** Text goes as it is; any other body (a recording's multipart form) is encoded as fetch would, with its content type. */
async function encodeBody(body: RequestInit['body'], headers: Headers): Promise<string | Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type && !headers.has('content-type')) headers.set('content-type', type);
  return Buffer.from(await encoded.arrayBuffer());
}

function abortError(signal: AbortSignal): Error {
  return new DOMException(signal.reason instanceof Error ? signal.reason.message : 'This operation was aborted', 'AbortError');
}
