import { createRoute } from '@hono/zod-openapi';
import { reviewSchedule, ReviewSchedule } from '../interview/review.js';
import { createRouter, errors, json } from './common.js';

export const reviewRoutes = createRouter().openapi(
  createRoute({
    operationId: 'getReview',
    method: 'get',
    path: '/',
    tags: ['sessions'],
    summary: 'What is due for review (spaced repetition of your graded answers), and a drill of it',
    responses: { 200: json(ReviewSchedule, 'The review schedule'), ...errors(500) },
  }),
  async (c) => {
    const { store, bank, now } = c.var.deps;
    const points = await store.progress(c.var.caller.user.id);
    return c.json(
      reviewSchedule(points, (id) => bank.get(id), now()),
      200,
    );
  },
);
