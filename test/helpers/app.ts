import { createApp } from '../../src/app.js';
import type { Deps } from '../../src/types.js';
import { start } from '../../src/start.js';

/** A fresh app on its own in-memory database, with the bank and rubrics loaded as at start-up. */
export function makeApp(env: Record<string, string | undefined> = {}) {
  const deps: Deps = { ...start({ DATABASE_PATH: ':memory:', ...env }), log: () => {} };
  const app = createApp(deps);
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
  return { app, deps, request, json, post };
}
