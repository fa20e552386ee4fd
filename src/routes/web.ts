import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import { AppError } from '../errors.js';

/**
 * The page's third-party scripts, served from the installed npm packages: the page makes no
 * request off the machine and needs no build step.
 */
const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
const VENDOR: Record<string, string> = {
  'marked.js': 'marked/lib/marked.esm.js',
  'purify.js': 'dompurify/dist/purify.es.mjs',
  'chart.js': 'chart.js/dist/chart.umd.min.js',
};

const cache = new Map<string, string>();

export const vendorRoutes = new Hono<AppEnv>().get('/:file', async (c) => {
  const file = c.req.param('file');
  const spec = VENDOR[file];
  if (!spec) throw new AppError('not_found', `No vendor file "${file}"`);
  let body = cache.get(file);
  if (body === undefined) {
    body = await readFile(NODE_MODULES + spec, 'utf8');
    cache.set(file, body);
  }
  return c.body(body, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
});
