import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../types.js';
import { AppError } from '../errors.js';

/**
 * The page's third-party scripts, served from the installed npm packages: the page makes no
 * request off the machine and needs no build step.
 */
const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
// A Map, not an object: a name such as "constructor" or "__proto__" is simply not found.
const VENDOR = new Map([
  ['marked.js', 'marked/lib/marked.esm.js'],
  ['purify.js', 'dompurify/dist/purify.es.mjs'],
  ['chart.js', 'chart.js/dist/chart.umd.min.js'],
  ['swagger-ui.js', 'swagger-ui-dist/swagger-ui-bundle.js'],
  ['swagger-ui.css', 'swagger-ui-dist/swagger-ui.css'],
]);

const cache = new Map<string, string>();

export const vendorRoutes = new Hono<AppEnv>().get('/:file', async (c) => {
  const file = c.req.param('file');
  const spec = VENDOR.get(file);
  if (!spec) throw new AppError('not_found', `No vendor file "${file}"`);
  let body = cache.get(file);
  if (body === undefined) {
    body = await readFile(NODE_MODULES + spec, 'utf8');
    cache.set(file, body);
  }
  const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
  return c.body(body, 200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'public, max-age=3600' });
});
