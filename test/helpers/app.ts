import { type ClientResponse, hc, type InferRequestType } from 'hono/client';
import { testClient } from 'hono/testing';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pgDriver from 'pg';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { type AppType, createApp } from '../../src/app.js';
import { start } from '../../src/start.js';
import type { SpanProcessor } from '../../src/observability/tracing.js';
import type { Deps } from '../../src/types.js';

/** True in the `postgres` test project. */
export const onPostgres = () => Boolean(inject('postgresUrl'));

/**
 * The settings of a fresh, empty database of the kind this test project runs on: an in-memory
 * SQLite database (a file in a temporary folder when it must outlive the app, as for a
 * restart), or (in the `postgres` project) a schema of its own on the run's PostgreSQL.
 */
export function testDatabase(options: { persistent?: boolean } = {}): Record<string, string> {
  const url = inject('postgresUrl');
  if (!url) return { DATABASE_PATH: options.persistent ? join(mkdtempSync(join(tmpdir(), 'mockloop-test-')), 'db.sqlite') : ':memory:' };
  return { DATABASE_URL: url, DATABASE_SCHEMA: `t_${randomBytes(6).toString('hex')}`, DATABASE_POOL_SIZE: '4' };
}

/**
 * A fresh app on its own database (see `testDatabase`), with the bank and rubrics loaded as at start-up.
 * `client` is the typed client of the API (hono/testing): bodies have the types the routes
 * declare; `clientWith(headers)` is one that sends those headers (a token, a cookie) with every
 * request, and `clientWith(headers, origin)` one that also sends them to that origin (as a
 * browser on https://… would). `request`, `json` and `post` send raw requests, for malformed input.
 */
export function makeApp(
  env: Record<string, string | undefined> = {},
  options: { log?: (line: string) => void; now?: () => Date; spanProcessors?: SpanProcessor[] } = {},
) {
  const deps: Deps = start({ ...testDatabase(), ...env }, { ...options, log: options.log ?? (() => {}) });
  const app = createApp(deps);
  const client = testClient(app);
  const clientWith = (headers: Record<string, string>, origin = 'http://localhost') =>
    hc<typeof app>(origin, { headers, fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init) });
  const request = async (path: string, init?: RequestInit): Promise<Response> => app.request(path, init);
  const json = async (path: string, init?: RequestInit) => {
    const res = await app.request(path, init);
    return { status: res.status, body: (await res.json()) as any, res };
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    json(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, deps, client, clientWith, request, json, post };
}

/** The typed client of the API. */
export type Client = ReturnType<typeof makeApp>['client'];

/** The typed client of a server listening at `base` (a real socket), sending `headers` with every request. */
export const clientAt = (base: string, headers: Record<string, string> = {}) => hc<AppType>(base, { headers });

export type NewSession = InferRequestType<Client['api']['sessions']['$post']>['json'];
export type Answer = InferRequestType<Client['api']['sessions'][':id']['answer']['$post']>['json'];

/**
 * A session's requests through the typed client: `start` gives the new session's id; a turn
 * takes an Idempotency-Key and other headers (as `sse`, to ask for an event stream).
 */
export function sessionsOf({ client }: { client: Client | ReturnType<typeof clientAt> }) {
  const session = client.api.sessions[':id'];
  const key = (k?: string) => (k ? { 'idempotency-key': k } : {});
  // Only when there are some: `{ headers: undefined }` would replace the client's own (a token).
  const withHeaders = (headers?: Record<string, string>) => (headers ? { headers } : {});
  return {
    start: async (json: NewSession) => (await body(client.api.sessions.$post({ json }), 201)).id,
    answer: (id: string, answer: string | Answer, options: { key?: string; headers?: Record<string, string> } = {}) =>
      session.answer.$post(
        { param: { id }, header: key(options.key), json: typeof answer === 'string' ? { text: answer } : answer },
        withHeaders(options.headers),
      ),
    skip: (id: string) => session.skip.$post({ param: { id }, header: {} }),
    finish: (id: string) => session.finish.$post({ param: { id }, header: {} }),
    retry: (id: string, headers?: Record<string, string>) => session.retry.$post({ param: { id }, header: {} }, withHeaders(headers)),
    get: (id: string) => body(session.$get({ param: { id } }), 200),
    remove: (id: string) => session.$delete({ param: { id } }),
  };
}

/** A clock a test moves by hand: `now` for the app, `advance(ms)` to move it. */
export function testClock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

/** The JSON body of a response with status S (a route that can also stream declares a text body too: not JSON). */
type JsonOf<R, S> =
  R extends ClientResponse<infer T, infer Status, 'json'> ? (Status extends S ? Exclude<T, string | Response> : never) : never;

/** Expects the status and returns the body, typed as the route declares it for that status. */
export async function body<R extends ClientResponse<unknown, number, string>, S extends R['status']>(
  response: Promise<R> | R,
  status: S,
): Promise<JsonOf<R, S>> {
  const res = await response;
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  return JSON.parse(text) as JsonOf<R, S>;
}

/**
 * Runs SQL on the test's own database, outside the app (as an operator, or an older mockloop,
 * would): the rows of the last statement.
 */
export async function onDatabase(env: Record<string, string>, statements: string[]): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  if (env.DATABASE_PATH) {
    const raw = new Database(env.DATABASE_PATH);
    for (const s of statements) {
      const statement = raw.prepare(s);
      rows = statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
    }
    raw.close();
    return rows;
  }
  const client = new pgDriver.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query(`set search_path to "${env.DATABASE_SCHEMA}"`);
  for (const s of statements) rows = (await client.query(s)).rows;
  await client.end();
  return rows;
}
