import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImportMap, esmEntry, importMap, moduleFile } from '../src/importmap.js';
import { makeApp } from './helpers/app.js';

/** The page's npm modules (the code editor) through the import map, as a browser would load them. */
const WEB = new URL('../web/', import.meta.url).pathname;

type Map = { imports: Record<string, string>; scopes?: Record<string, Record<string, string>> };

/** Every file of the page (web/), relative to it. */
const pageFiles = (dir = ''): string[] =>
  readdirSync(join(WEB, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pageFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );

/** The specifiers a module imports, static and dynamic with a literal name. */
function importsOf(source: string) {
  const [imports] = parse(source);
  return imports.map((i) => i.n).filter((n): n is string => typeof n === 'string');
}

/** Where a browser resolves `spec` imported from the module at `from` (a URL path), by the import map. */
function resolveSpec(map: Map, spec: string, from: string): string | undefined {
  if (spec.startsWith('/')) return spec;
  if (spec.startsWith('./') || spec.startsWith('../')) return new URL(spec, `http://x${from}`).pathname;
  for (const [prefix, scoped] of Object.entries(map.scopes ?? {})) if (from.startsWith(prefix) && scoped[spec]) return scoped[spec];
  return map.imports[spec];
}

let app: ReturnType<typeof makeApp>;
let html: string;
let csp: string;
let map: Map;
beforeAll(async () => {
  await init;
  app = makeApp();
  const res = await app.request('/');
  html = await res.text();
  csp = res.headers.get('content-security-policy') ?? '';
  map = JSON.parse(/<script type="importmap">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');
});

describe('the page’s import map', () => {
  it('is in the page before its first module, and the CSP allows exactly it by its hash', () => {
    expect(map).not.toBeNull();
    expect(html.indexOf('type="importmap"')).toBeLessThan(html.indexOf('type="module"'));
    const text = /<script type="importmap">(.*?)<\/script>/s.exec(html)![1]!;
    const hash = createHash('sha256').update(text).digest('base64');
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc.split(' ')).toEqual(["'self'", `'sha256-${hash}'`]);
    // no inline style came with it: the editor styles itself with constructed style sheets
    expect(/style-src ([^;]*)/.exec(csp)?.[1]).toBe("'self'");
  });

  it('resolves every module the page imports by name, and each is served as JavaScript', async () => {
    const bare = new Set<string>();
    // from every page file, through every module they reach
    const queue: Array<[string, string]> = [];
    for (const file of pageFiles()) {
      for (const spec of importsOf(readFileSync(join(WEB, file), 'utf8'))) {
        if (!spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('..')) bare.add(spec);
        queue.push([spec, `/${file}`]);
      }
    }
    expect([...bare].sort()).toEqual(
      expect.arrayContaining(['@codemirror/lang-javascript', '@codemirror/lang-python', '@codemirror/view', 'codemirror']),
    );
    const seen = new Set<string>();
    while (queue.length) {
      const [spec, from] = queue.shift()!;
      const url = resolveSpec(map, spec, from);
      expect(url, `${spec} imported by ${from}`).toBeDefined();
      if (seen.has(url!)) continue;
      seen.add(url!);
      const res = await app.request(url!);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(/^text\/javascript\b/);
      for (const next of importsOf(await res.text())) queue.push([next, url!]);
    }
    const vendored = [...seen].filter((u) => u.startsWith('/vendor/esm/'));
    // CodeMirror, its languages and their dependencies: one copy of each package
    expect(vendored.length).toBeGreaterThan(15);
    const names = vendored.map((u) => /^\/vendor\/esm\/((?:@[^/]+\/)?[^/@]+)@/.exec(u)?.[1]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('@codemirror/state');
  });

  it('serves only the JavaScript of the import map’s packages, never outside them', async () => {
    const state = map.imports['@codemirror/state']!;
    const base = state.slice(0, state.indexOf('/dist/'));
    for (const path of [
      `${base}/package.json`,
      `${base}/../../openai/package.json`,
      `${base}/%2e%2e/%2e%2e/%2e%2e/package.json`,
      `${base}/dist/nothing.js`,
      '/vendor/esm/openai@6.0.0/index.js',
      '/vendor/esm/@codemirror/state@0.0.1/dist/index.js',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
    }
    // URLs are normalised before they reach the route; the route holds the line by itself too
    const spec = /^\/vendor\/esm\/(.*?)\/dist\//.exec(state)![1]!;
    expect(moduleFile(importMap(), spec, 'dist/index.js')).toMatch(/@codemirror\/state\/dist\/index\.js$/);
    for (const path of ['../../lezer/common/dist/index.js', '../view/dist/index.js', '/etc/passwd.js', 'node_modules/x/index.js']) {
      expect(moduleFile(importMap(), spec, path), path).toBeUndefined();
    }
  });
});

describe('a package’s ES module entry', () => {
  it('is its exports’ import (or browser) condition, else its module field', () => {
    expect(esmEntry({ name: 'a', exports: { '.': { import: './dist/index.js', require: './dist/index.cjs' } } })).toBe('dist/index.js');
    expect(esmEntry({ name: 'a', exports: { import: './i.js', require: './r.cjs' } })).toBe('i.js');
    expect(esmEntry({ name: 'a', exports: { '.': { browser: './b.js', import: './i.js' } } })).toBe('b.js');
    expect(esmEntry({ name: 'a', exports: { '.': { import: { types: './x.d.ts', default: './i.mjs' } } } })).toBe('i.mjs');
    expect(esmEntry({ name: 'a', exports: './only.js' })).toBe('only.js');
    expect(esmEntry({ name: 'a', module: 'esm/index.js' })).toBe('esm/index.js');
    expect(() => esmEntry({ name: 'cjs-only' })).toThrow(/cjs-only has no ES module entry/);
  });
});

describe('an import map of installed packages', () => {
  /** A node_modules folder of packages: path → package.json fields. */
  function install(packages: Record<string, Record<string, unknown>>) {
    const root = join(mkdtempSync(join(tmpdir(), 'mockloop-importmap-')), 'node_modules');
    for (const [path, pkg] of Object.entries(packages)) {
      mkdirSync(join(root, path, 'dist'), { recursive: true });
      writeFileSync(join(root, path, 'package.json'), JSON.stringify(pkg));
      writeFileSync(join(root, path, 'dist', 'index.js'), 'export {};');
    }
    return root;
  }
  const esm = { exports: { '.': { import: './dist/index.js', require: './dist/index.cjs' } } };

  it('maps a nested copy of a package (another version) for its dependant only, through a scope', () => {
    const root = install({
      app: { name: 'app', version: '1.0.0', ...esm, dependencies: { '@x/b': '^1', c: '^1' } },
      '@x/b': { name: '@x/b', version: '1.2.0', ...esm },
      c: { name: 'c', version: '1.0.0', ...esm, dependencies: { '@x/b': '^2' } },
      'c/node_modules/@x/b': { name: '@x/b', version: '2.0.0', ...esm },
    });
    const map = buildImportMap(['app'], root);
    expect(map.json).toEqual({
      imports: {
        app: '/vendor/esm/app@1.0.0/dist/index.js',
        '@x/b': '/vendor/esm/@x/b@1.2.0/dist/index.js',
        c: '/vendor/esm/c@1.0.0/dist/index.js',
      },
      scopes: { '/vendor/esm/c@1.0.0/': { '@x/b': '/vendor/esm/@x/b@2.0.0/dist/index.js' } },
    });
    expect(moduleFile(map, '@x/b@2.0.0', 'dist/index.js')).toBe(join(root, 'c/node_modules/@x/b/dist/index.js'));
    expect(map.script).toBe(`<script type="importmap">${JSON.stringify(map.json)}</script>`);
  });

  it('names a missing dependency, and a package without an ES module', () => {
    const missing = install({ app: { name: 'app', version: '1.0.0', ...esm, dependencies: { gone: '^1' } } });
    expect(() => buildImportMap(['app'], missing)).toThrow(/needs the npm package gone, which is not installed/);
    const cjs = install({ app: { name: 'app', version: '1.0.0', main: 'index.js' } });
    expect(() => buildImportMap(['app'], cjs)).toThrow(/app has no ES module entry/);
  });
});
