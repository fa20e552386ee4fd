import { APIError } from 'openai';
import type { Model } from './client.js';
import { mapModelError } from './client.js';

export interface ProbeResult {
  ok: boolean;
  /** Why the model is not reachable, in plain words. */
  reason?: string;
  checkedAt: string;
}

/**
 * Whether the model endpoint answers: a models list with a short timeout and no retries, cached
 * for a few seconds so a readiness check polled by a load balancer does not load the model server.
 * An endpoint that answers without a models list (404) is reachable; no answer, a 5xx or refused
 * credentials are not.
 */
export function createModelProbe(llm: Model, options: { timeoutMs?: number; cacheMs?: number; now?: () => number } = {}) {
  const timeoutMs = options.timeoutMs ?? 3000;
  const cacheMs = options.cacheMs ?? 5000;
  const now = options.now ?? Date.now;
  let last: { at: number; result: Promise<ProbeResult> } | undefined;

  const run = async (): Promise<ProbeResult> => {
    const checkedAt = new Date(now()).toISOString();
    try {
      await llm.client.models.list({ timeout: timeoutMs, maxRetries: 0 });
      return { ok: true, checkedAt };
    } catch (e) {
      if (e instanceof APIError && (e.status === 404 || e.status === 405)) return { ok: true, checkedAt };
      return { ok: false, reason: mapModelError(e, llm.model).message, checkedAt };
    }
  };

  return {
    check(): Promise<ProbeResult> {
      if (!last || now() - last.at > cacheMs) last = { at: now(), result: run() };
      return last.result;
    },
  };
}
export type ModelProbe = ReturnType<typeof createModelProbe>;
