import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { createRouter, json } from './common.js';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    provider: z.enum(['offline', 'openai']),
    model: z.string().nullable().openapi({ description: 'null for the offline provider' }),
    grader: z.string().openapi({ example: 'offline grader' }),
    database: z.object({ ok: z.boolean(), questions: z.number().int() }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['meta'],
  summary: 'Service status, provider, model and database',
  responses: { 200: json(Health, 'Service status') },
});

export const healthRoutes = createRouter().openapi(route, (c) => {
  const { db, config } = c.var.deps;
  let questions = 0;
  let ok = true;
  try {
    questions = db.get<{ n: number }>(sql`select count(*) as n from questions`).n;
  } catch {
    ok = false;
  }
  const offline = config.provider === 'offline';
  return c.json(
    {
      status: ok ? ('ok' as const) : ('degraded' as const),
      provider: config.provider,
      model: offline ? null : config.openai.model,
      grader: offline ? 'offline grader' : `llm grader (${config.openai.model})`,
      database: { ok, questions },
    },
    200,
  );
});
