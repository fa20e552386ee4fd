import { createRoute, z } from '@hono/zod-openapi';
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
      }),
    ),
  })
  .openapi('Progress');

export const progressRoutes = createRouter().openapi(
  createRoute({
    operationId: 'getProgress',
    method: 'get',
    path: '/',
    tags: ['sessions'],
    summary: 'Every graded answer over time, for progress charts by category and rubric',
    responses: { 200: json(Progress, 'Graded answers, oldest first'), ...errors(500) },
  }),
  async (c) => c.json({ points: await c.var.deps.store.progress(c.var.caller.user.id) }, 200),
);
