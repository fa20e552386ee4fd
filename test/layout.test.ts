import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Every source file of the server and the page, with its line count. */
function sourceFiles(dir: string): { path: string; lines: number }[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => ({ path: `${dir}/${f}`, lines: readFileSync(join(ROOT, dir, f), 'utf8').split('\n').length }));
}

describe('the layout', () => {
  it('has no import circle in src', async () => {
    const graph = await madge(join(ROOT, 'src'), {
      fileExtensions: ['ts'],
      tsConfig: join(ROOT, 'tsconfig.json'),
      detectiveOptions: { ts: { skipTypeImports: false } },
    });
    expect(graph.circular()).toEqual([]);
  });

  it('keeps every code file in src and web under 400 lines', () => {
    const long = [...sourceFiles('src'), ...sourceFiles('web')].filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
