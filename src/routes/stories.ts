import { createRoute, z } from '@hono/zod-openapi';
import { storyBankMarkdown } from '../interview/export.js';
import { deleteStory, mergeStory, renameStory, storyBank } from '../interview/story-edits.js';
import { Story, StoryBank } from '../interview/stories.js';
import type { AppEnv } from '../types.js';
import type { Context } from 'hono';
import { createRouter, errors, json } from './common.js';

const tags = ['stories'];
const Id = z.object({ id: z.string().min(1).max(200).openapi({ description: 'The story\'s id: "<sessionId>:<position>"' }) });
const reads = (c: Context<AppEnv>) => ({ store: c.var.deps.store, views: c.var.deps.loop.views });

const Rename = z
  .object({ title: z.string().trim().min(1, 'The title is empty').max(120, 'The title is longer than 120 characters') })
  .strict()
  .openapi('RenameStory');
const Merge = z
  .object({ into: z.string().min(1).max(200).openapi({ description: 'The id of the story it joins' }) })
  .strict()
  .openapi('MergeStory');

export const storyRoutes = createRouter()
  .openapi(
    createRoute({
      operationId: 'getStories',
      method: 'get',
      path: '/',
      tags,
      summary: 'Your story bank: each story once, what it showed, and the Leadership Principles it leaves uncovered',
      responses: { 200: json(StoryBank, 'The story bank'), ...errors(500) },
    }),
    async (c) => c.json(await storyBank(reads(c), c.var.caller.user.id), 200),
  )
  .openapi(
    createRoute({
      operationId: 'exportStories',
      method: 'get',
      path: '/export',
      tags,
      summary: 'Download your story bank as Markdown or JSON',
      request: { query: z.object({ format: z.enum(['md', 'json']).default('md') }) },
      responses: {
        200: { content: { 'text/markdown': { schema: z.string() }, 'application/json': { schema: StoryBank } }, description: 'The bank' },
        ...errors([400, 'Unknown format'], 500),
      },
    }),
    async (c) => {
      const { format } = c.req.valid('query');
      const bank = await storyBank(reads(c), c.var.caller.user.id);
      c.header('Content-Disposition', `attachment; filename="mockloop-stories-${c.var.deps.now().toISOString().slice(0, 10)}.${format}"`);
      if (format === 'json') return c.body(JSON.stringify(bank, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
      return c.body(storyBankMarkdown(bank), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    },
  )
  .openapi(
    createRoute({
      operationId: 'renameStory',
      method: 'patch',
      path: '/{id}',
      tags,
      summary: 'Rename a story (its id stays)',
      request: { params: Id, body: { content: { 'application/json': { schema: Rename } }, required: true } },
      responses: {
        200: json(Story, 'The story, renamed'),
        ...errors([400, 'No title, or too long'], 403, [404, 'No such story in your bank'], 500),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const story = await renameStory(reads(c), c.var.caller.user.id, id, c.req.valid('json').title, c.var.deps.now());
      return c.json(story, 200);
    },
  )
  .openapi(
    createRoute({
      operationId: 'mergeStory',
      method: 'post',
      path: '/{id}/merge',
      tags,
      summary: 'Merge a story into another: its tellings, principles, figures and grades join that one',
      request: { params: Id, body: { content: { 'application/json': { schema: Merge } }, required: true } },
      responses: {
        200: json(Story, 'The story it joined, with it'),
        ...errors([400, 'Merging into itself, a deleted story or one not in your bank'], 403, [404, 'No such story in your bank'], 500),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const story = await mergeStory(reads(c), c.var.caller.user.id, id, c.req.valid('json').into, c.var.deps.now());
      return c.json(story, 200);
    },
  )
  .openapi(
    createRoute({
      operationId: 'deleteStory',
      method: 'delete',
      path: '/{id}',
      tags,
      summary: 'Delete a story from your bank; told again in a later loop, it stays deleted',
      request: { params: Id },
      responses: { 204: { description: 'Deleted' }, ...errors(400, 403, [404, 'No such story in your bank'], 500) },
    }),
    async (c) => {
      await deleteStory(reads(c), c.var.caller.user.id, c.req.valid('param').id, c.var.deps.now());
      return c.body(null, 204);
    },
  );
