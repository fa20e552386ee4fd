import { createRoute } from '@hono/zod-openapi';
import { buildStoryBank, StoryBank } from '../interview/stories.js';
import { createRouter, errors, json } from './common.js';

/** The most recent sessions a story bank is read from. */
const SESSIONS_READ = 200;

export const storyRoutes = createRouter().openapi(
  createRoute({
    operationId: 'getStories',
    method: 'get',
    path: '/',
    tags: ['sessions'],
    summary: 'Your story bank: each story once, what it showed, and the Leadership Principles it leaves uncovered',
    responses: { 200: json(StoryBank, 'The story bank'), ...errors(500) },
  }),
  async (c) => {
    const { store, loop } = c.var.deps;
    const userId = c.var.caller.user.id;
    const rows = await store.listSessions(userId, SESSIONS_READ, 0);
    const sessions = await Promise.all(rows.map((r) => loop.views.get(r.id, userId)));
    return c.json(buildStoryBank(sessions), 200);
  },
);
