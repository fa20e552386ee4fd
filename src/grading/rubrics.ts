import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from '@hono/zod-openapi';
import { parse as parseYaml } from 'yaml';
import { RubricError } from '../errors.js';

const Level = z.string().min(1);

export const Criterion = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case letters and digits'),
    name: z.string().min(1),
    weight: z.number().positive().max(1),
    description: z.string().min(1),
    levels: z.object({ 1: Level, 2: Level.optional(), 3: Level, 4: Level.optional(), 5: Level }).strict(),
    probes: z.array(z.string().min(1)).min(1),
  })
  .strict();

/**
 * One thing that rises with the level (scope, ambiguity, scale…): what each level expects of it,
 * and the follow-up that asks for it.
 */
export const BarExpectation = z
  .object({
    name: z.string().min(1),
    L4: z.string().min(1),
    L5: z.string().min(1),
    L6: z.string().min(1),
    L7: z.string().min(1),
    probe: z.string().min(1),
  })
  .strict();
export type BarExpectation = z.infer<typeof BarExpectation>;

/**
 * What a rubric grades, which decides what its reference answer is for: the key points of a
 * technical or design answer; one good answer among several for a company question; for a STAR
 * story, an example whose structure (not content) sets the bar; for a coding problem, the expected
 * approach and its complexity (the tests decide correctness).
 */
export const RUBRIC_KINDS = ['star', 'company', 'technical', 'system_design', 'coding'] as const;
export const RubricKind = z.enum(RUBRIC_KINDS);
export type RubricKind = z.infer<typeof RubricKind>;

export const Rubric = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    kind: RubricKind,
    name: z.string().min(1),
    description: z.string().min(1),
    criteria: z.array(Criterion).min(1),
    /** What each level expects, by dimension id; an answer's bar is read on these. */
    bar: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case letters and digits'), BarExpectation).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const total = r.criteria.reduce((s, c) => s + c.weight, 0);
    if (Math.abs(total - 1) > 0.001) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: `weights must add up to 1 (they add up to ${total.toFixed(3)})` });
    }
    const ids = new Set<string>();
    r.criteria.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: `duplicate criterion id "${c.id}"` });
      ids.add(c.id);
    });
  })
  .openapi('Rubric');
export type Rubric = z.infer<typeof Rubric>;
export type Criterion = z.infer<typeof Criterion>;

/** Reads and validates every rubrics/*.yaml; a broken file names the file and the field. */
export function loadRubrics(dir: string): Map<string, Rubric> {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new RubricError(`${dir}: no rubric files (*.yaml) found`);
  const rubrics = new Map<string, Rubric>();
  for (const file of files) {
    const path = join(dir, file);
    let data: unknown;
    try {
      data = parseYaml(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new RubricError(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    const parsed = Rubric.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? issue.path.join('.') : '(top level)';
      throw new RubricError(`${path}: field "${field}": ${issue.message}`);
    }
    const expected = basename(file).replace(/\.ya?ml$/, '');
    if (parsed.data.id !== expected) {
      throw new RubricError(`${path}: field "id": must match the file name ("${expected}"), got "${parsed.data.id}"`);
    }
    rubrics.set(parsed.data.id, parsed.data);
  }
  return rubrics;
}
