import { hc } from 'hono/client';
import type { AppType } from './app.js';

/**
 * A typed client for other tools: every route, input and response typed from the API itself
 * (Hono's `hc`). Import it as `mockloop/client`.
 *
 *   const api = createClient('http://127.0.0.1:8787', { token: process.env.MOCKLOOP_TOKEN });
 *   const res = await api.api.sessions.$post({ json: { mix: { behavioral: 1 } } });
 */
export function createClient(baseUrl: string, options: { token?: string; fetch?: typeof fetch } = {}) {
  return hc<AppType>(baseUrl, {
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
    fetch: options.fetch,
  });
}

export type { AppType };
export type MockloopClient = ReturnType<typeof createClient>;
