import { createRoute, z } from '@hono/zod-openapi';
import { BAR_VERDICTS, Level } from '../grading/levels.js';
import { DeliverySummary, summariseDelivery } from '../voice/delivery.js';
import { createRouter, errors, json } from './common.js';

const Progress = z
  .object({
    points: z.array(
      z.object({
        sessionId: z.string(),
        sessionCreatedAt: z.string(),
        gradedAt: z.string(),
        questionId: z.string(),
        category: z.string(),
        rubricId: z.string(),
        score: z.number(),
        level: Level.nullable().openapi({ description: 'The level practised for; null for sessions from before levels' }),
        bar: z
          .enum(BAR_VERDICTS)
          .nullable()
          .openapi({ description: "Below, at or above that level's bar; null when graded before levels" }),
      }),
    ),
    delivery: z
      .array(DeliverySummary.extend({ sessionId: z.string(), sessionCreatedAt: z.string() }))
      .openapi({ description: 'Per session with spoken answers, oldest first: pace, fillers, time' }),
  })
  .openapi('Progress');

export const progressRoutes = createRouter().openapi(
  createRoute({
    operationId: 'getProgress',
    method: 'get',
    path: '/',
    tags: ['sessions'],
    summary: 'Every graded answer over time, for progress charts by category, rubric and level',
    responses: { 200: json(Progress, 'Graded answers, oldest first'), ...errors(500) },
  }),
  async (c) => {
    const { store } = c.var.deps;
    const userId = c.var.caller.user.id;
    const bySession = new Map<string, Awaited<ReturnType<typeof store.deliveries>>>();
    for (const d of await store.deliveries(userId)) bySession.set(d.sessionId, [...(bySession.get(d.sessionId) ?? []), d]);
    const delivery = [...bySession].map(([sessionId, rows]) => ({
      sessionId,
      sessionCreatedAt: rows[0]!.sessionCreatedAt,
      ...summariseDelivery(rows.map((r) => r.delivery))!,
    }));
    return c.json({ points: await store.progress(userId), delivery }, 200);
  },
);
