import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's ES modules from npm (the code editor, CodeMirror 6), served as they are installed:
 * an import map, generated from the installed packages' package.json, maps each bare name the
 * browser meets (`@codemirror/view`) to the package's ESM entry under /vendor/esm/. No bundler,
 * no copy of node_modules: a package updated by npm is served as updated, its version in the URL.
 */

const NODE_MODULES = fileURLToPath(new URL('../node_modules/', import.meta.url));

/** The packages the page imports by name (web/room/editor.js); their dependencies follow. */
export const PAGE_PACKAGES = [
  'codemirror',
  '@codemirror/commands',
  '@codemirror/lang-javascript',
  '@codemirror/lang-python',
  '@codemirror/state',
  '@codemirror/view',
];

/** Where each served package lives: `name@version` → its directory. */
export type ModuleDirs = Map<string, string>;

export interface ImportMap {
  /** The `<script type="importmap">` element, as it goes into the page. */
  script: string;
  /** Its CSP source (`'sha256-…'`): the page runs no other inline script. */
  hash: string;
  json: { imports: Record<string, string>; scopes?: Record<string, Record<string, string>> };
  dirs: ModuleDirs;
}

interface Pkg {
  name: string;
  version: string;
  dir: string;
  url: string;
  entry: string;
  deps: string[];
}

/** The conditions a browser's `import` matches, in the order a bundler targeting browsers tries them. */
const CONDITIONS = ['browser', 'import', 'module', 'default'];

/** The file an `exports` entry gives a browser's import, or undefined. */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const e of entry) {
      const t = exportTarget(e);
      if (t) return t;
    }
    return undefined;
  }
  if (entry && typeof entry === 'object') {
    const conditions = entry as Record<string, unknown>;
    for (const c of CONDITIONS) if (c in conditions) return exportTarget(conditions[c]);
  }
  return undefined;
}

/** A package's ESM entry: `exports["."]` for import, else `module`. CommonJS only (`main`) is refused. */
export function esmEntry(pkg: { name: string; exports?: unknown; module?: string }): string {
  const exp = pkg.exports;
  const dot =
    typeof exp === 'string' || Array.isArray(exp)
      ? exp
      : exp && typeof exp === 'object' && '.' in exp
        ? (exp as Record<string, unknown>)['.']
        : exp;
  const target = (dot !== undefined && exportTarget(dot)) || pkg.module;
  if (!target) throw new Error(`${pkg.name} has no ES module entry (exports "." for import, or module)`);
  return target.replace(/^\.\//, '');
}

/** Node's lookup: the package in the nearest node_modules from the package `from` up to the project's (`top`). */
function locate(name: string, from: string, top: string): string {
  for (let dir = from; dir.length > top.length; dir = dirname(dir)) {
    const nested = join(dir, 'node_modules', name);
    if (existsSync(join(nested, 'package.json'))) return nested;
  }
  const installed = join(top, name);
  if (existsSync(join(installed, 'package.json'))) return installed;
  throw new Error(`The page needs the npm package ${name}, which is not installed: run npm install`);
}

function readPkg(dir: string): Pkg {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...json.dependencies, ...json.peerDependencies });
  return {
    name: json.name,
    version: json.version,
    dir,
    url: `/vendor/esm/${json.name}@${json.version}/`,
    entry: esmEntry(json),
    deps,
  };
}

/**
 * Builds the import map for `roots` (PAGE_PACKAGES) and everything they depend on, as installed in
 * `nodeModules`: a package at the top serves every importer, a nested copy (another version) only
 * its dependant, through the map's scopes.
 */
export function buildImportMap(roots = PAGE_PACKAGES, nodeModules = NODE_MODULES): ImportMap {
  const top = nodeModules.replace(/[\\/]+$/, '');
  const imports: Record<string, string> = {};
  const scopes: Record<string, Record<string, string>> = {};
  const dirs: ModuleDirs = new Map();
  const seen = new Set<string>();
  const visit = (pkg: Pkg) => {
    if (seen.has(pkg.dir)) return;
    seen.add(pkg.dir);
    dirs.set(`${pkg.name}@${pkg.version}`, pkg.dir);
    for (const name of pkg.deps) {
      const dep = readPkg(locate(name, pkg.dir, top));
      const target = dep.url + dep.entry;
      // The copy at the top serves everyone; a nested one (another version) only its dependant.
      if (dep.dir === join(top, name)) imports[name] ??= target;
      else (scopes[pkg.url] ??= {})[name] = target;
      visit(dep);
    }
  };
  for (const name of roots) {
    const pkg = readPkg(locate(name, join(top, name), top));
    imports[name] = pkg.url + pkg.entry;
    visit(pkg);
  }
  const json = Object.keys(scopes).length ? { imports, scopes } : { imports };
  // "</" cannot end the script early: JSON may escape "/" as "\/".
  const text = JSON.stringify(json).replace(/<\//g, '<\\/');
  const hash = `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  return { script: `<script type="importmap">${text}</script>`, hash, json, dirs };
}

let built: ImportMap | undefined;
/** The import map of the installed packages, built once. */
export const importMap = () => (built ??= buildImportMap());

/**
 * The file of a served package that `/vendor/esm/<name@version>/<path>` names, or undefined: only
 * the import map's packages, only JavaScript, never outside the package's directory.
 */
export function moduleFile(map: ImportMap, spec: string, path: string): string | undefined {
  const dir = map.dirs.get(spec);
  if (!dir || !/\.m?js$/.test(path)) return undefined;
  const file = resolve(dir, path);
  return file.startsWith(dir + sep) && !file.slice(dir.length).includes(`${sep}node_modules${sep}`) ? file : undefined;
}
