import { createRoute, z } from '@hono/zod-openapi';
import { databaseError } from '../db/errors.js';
import type { Deps } from '../types.js';
import { createRouter, json, publicErrors } from './common.js';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    provider: z.enum(['offline', 'openai']),
    model: z.string().nullable().openapi({ description: 'null for the offline provider' }),
    grader: z.string().openapi({ example: 'offline grader' }),
    database: z.object({ ok: z.boolean(), kind: z.enum(['sqlite', 'postgres']), questions: z.number().int() }),
  })
  .openapi('Health');

const Check = z.object({ ok: z.boolean(), reason: z.string().optional() });
const Ready = z
  .object({
    ready: z.boolean(),
    database: Check,
    model: Check.extend({ checkedAt: z.string() }).nullable().openapi({ description: 'null for the offline provider' }),
  })
  .openapi('Ready');

const health = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['meta'],
  summary: 'Liveness: the process answers; provider, model and database (cheap, never calls the model)',
  security: [],
  responses: { 200: json(Health, 'Service status'), ...publicErrors(500) },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  operationId: 'getReadiness',
  tags: ['meta'],
  summary:
    'Readiness: the database answers and takes a write, and, for the openai provider, the model endpoint answers (cached a few seconds). False while the database is unreachable or refuses writes, true again by itself when it is back',
  security: [],
  responses: { 200: json(Ready, 'Ready to take turns'), 503: json(Ready, 'Not ready: the reasons are in the body'), ...publicErrors(500) },
});

/** Whether the database answers; for readiness (`write`), whether it takes a write too (a full disk answers reads). */
async function databaseCheck({ store, bank }: Deps, write = false): Promise<{ ok: boolean; questions: number; reason?: string }> {
  try {
    const ok = await store.ping();
    if (write) await store.probeWrite(new Date());
    return { ok, questions: bank.entries.length };
  } catch (e) {
    return { ok: false, questions: 0, reason: (databaseError(e) ?? (e as Error)).message };
  }
}

export const healthRoutes = createRouter()
  .openapi(health, async (c) => {
    const { config } = c.var.deps;
    const database = await databaseCheck(c.var.deps);
    const offline = config.provider === 'offline';
    return c.json(
      {
        status: database.ok ? ('ok' as const) : ('degraded' as const),
        provider: config.provider,
        model: offline ? null : config.openai.model,
        grader: offline ? 'offline grader' : `llm grader (${config.openai.model})`,
        database: { ok: database.ok, kind: c.var.deps.store.kind, questions: database.questions },
      },
      200,
    );
  })
  .openapi(ready, async (c) => {
    if (c.var.deps.loop.turns.isDraining) {
      return c.json({ ready: false, database: { ok: true, reason: 'this server is shutting down' }, model: null }, 503);
    }
    const { ok, reason } = await databaseCheck(c.var.deps, true);
    const model = c.var.deps.modelProbe ? await c.var.deps.modelProbe.check() : null;
    const body = { ready: ok && (model?.ok ?? true), database: { ok, reason }, model };
    return body.ready ? c.json(body, 200) : c.json(body, 503);
  });
