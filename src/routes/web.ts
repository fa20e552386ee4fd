import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../types.js';
import { AppError } from '../errors.js';
import { importMap, moduleFile } from '../importmap.js';

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

const JS = { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' };

export const vendorRoutes = new Hono<AppEnv>()
  // The ES modules of the import map: /vendor/esm/@codemirror/view@6.44.2/dist/index.js
  .get('/esm/*', async (c) => {
    const rest = c.req.path.slice(c.req.path.indexOf('/esm/') + 5);
    const parts = rest.split('/');
    const n = parts[0]?.startsWith('@') ? 2 : 1;
    const file = moduleFile(importMap(), parts.slice(0, n).join('/'), parts.slice(n).join('/'));
    if (!file) throw new AppError('not_found', `No module "${rest}"`);
    let body = cache.get(file);
    if (body === undefined) {
      body = await readFile(file, 'utf8').catch(() => {
        throw new AppError('not_found', `No module "${rest}"`);
      });
      cache.set(file, body);
    }
    return c.body(body, 200, JS);
  })
  .get('/:file', async (c) => {
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

const INDEX = fileURLToPath(new URL('../../web/index.html', import.meta.url));

/** The page, with the import map of its npm modules (its hash is in the CSP's script-src) in its head. */
export const pageRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const html = await readFile(INDEX, 'utf8');
  return c.html(html.replace('<!-- importmap -->', importMap().script), 200, { 'Cache-Control': 'no-cache' });
});
