import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { CodingPackError } from '../errors.js';
import type { Language, TestInput } from './types.js';

export const PROBLEMS_DIR = fileURLToPath(new URL('./problems', import.meta.url));

export const LANGUAGES = ['javascript', 'python'] as const satisfies readonly Language[];
export const TOPICS = [
  'arrays-strings',
  'hash-maps',
  'two-pointers',
  'sliding-window',
  'trees-graphs',
  'heaps',
  'intervals',
  'binary-search',
  'stacks',
  'dynamic-programming',
  'design',
] as const;
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
/**
 * How a returned value is compared with the expected one: `exact` deep-equal; `unordered` a list
 * whose order does not matter; `nested-unordered` lists whose order does not matter at any depth
 * (groups of anagrams, triplets); `float` numbers equal within `tolerance`.
 */
export const COMPARE_MODES = ['exact', 'unordered', 'nested-unordered', 'float'] as const;

const slug = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case letters and digits');
const text = z.string().trim().min(1);
const byLanguage = <T extends z.ZodType>(t: T) => z.object({ javascript: t, python: t }).strict();

/** What the sandbox runs once: `entry(...args)`, or a class built by the first call then called method by method. */
export const TestInputSchema: z.ZodType<TestInput> = z.union([
  z.object({ args: z.array(z.unknown()) }).strict(),
  z.object({ calls: z.array(z.tuple([z.string().min(1), z.array(z.unknown())])).min(1) }).strict(),
]);
export type PackTestInput = TestInput;

const Test = z
  .object({
    name: text.optional(),
    input: TestInputSchema,
    expected: z.unknown(),
    /** The named edge case (see `edgeCases`) this test covers. */
    edge: slug.optional(),
  })
  .strict()
  .refine((t) => t.expected !== undefined, {
    message: 'expected is required (use null for a function that returns nothing)',
    path: ['expected'],
  });

const WrongSolution = z
  .object({
    language: z.enum(LANGUAGES),
    /** `incorrect` fails at least one test; `too_slow` passes them but grows worse than `complexity` says. */
    kind: z.enum(['incorrect', 'too_slow']),
    why: text,
    code: text,
  })
  .strict();

const EdgeCase = z
  .object({
    id: slug,
    name: text,
    /** What an interviewer can ask about it without revealing the test. */
    ask: text,
  })
  .strict();

export const ProblemSchema = z
  .object({
    id: slug,
    title: text,
    topic: z.enum(TOPICS),
    difficulty: z.enum(DIFFICULTIES),
    kind: z.enum(['function', 'class']),
    statement: text,
    examples: z.array(z.object({ input: text, output: text, explanation: text.optional() }).strict()).min(1),
    constraints: z.array(text).min(1),
    entry: byLanguage(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier')),
    /** Class problems: the methods a test may call, named the same in both languages. */
    methods: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
      .min(1)
      .optional(),
    starter: byLanguage(text),
    compare: z.enum(COMPARE_MODES),
    tolerance: z.number().positive().optional(),
    complexity: z
      .object({ time: z.string().regex(/^O\(.+\)/, 'must start with O(…)'), space: z.string().regex(/^O\(.+\)/, 'must start with O(…)') })
      .strict(),
    reference: byLanguage(text),
    wrong: z.array(WrongSolution).min(2),
    hints: z.array(text).min(2).max(4),
    edgeCases: z.array(EdgeCase).min(1),
    /** JavaScript source of `(n) => TestInput`: an input of size n, to measure how a solution grows. */
    growth: text,
    followUp: text,
    tests: z.object({ visible: z.array(Test).min(2).max(4), hidden: z.array(Test).min(6) }).strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const language of LANGUAGES) {
      if (!p.wrong.some((w) => w.language === language)) issue(['wrong'], `needs at least one wrong ${language} solution`);
    }
    if (p.compare === 'float' && p.tolerance === undefined) issue(['tolerance'], 'is required when compare is float');
    if (p.kind === 'class') {
      if (!p.methods) issue(['methods'], 'is required for a class problem');
      if (p.entry.javascript !== p.entry.python) issue(['entry', 'python'], 'a class has the same name in both languages');
    }
    const edges = new Set(p.edgeCases.map((e) => e.id));
    const covered = new Set<string>();
    const methods = new Set(p.methods ?? []);
    for (const part of ['visible', 'hidden'] as const) {
      p.tests[part].forEach((t, i) => {
        const at = ['tests', part, i];
        if (t.edge) {
          if (!edges.has(t.edge)) issue([...at, 'edge'], `"${t.edge}" is not one of edgeCases`);
          if (part === 'hidden') covered.add(t.edge);
        }
        if (p.kind === 'function' && !('args' in t.input)) issue([...at, 'input'], 'a function problem takes { args }');
        if (p.kind === 'class') {
          if (!('calls' in t.input)) return issue([...at, 'input'], 'a class problem takes { calls }');
          const [first, ...rest] = t.input.calls;
          if (first![0] !== p.entry.javascript) issue([...at, 'input', 'calls', 0], `the first call constructs ${p.entry.javascript}`);
          rest.forEach(([m], j) => {
            if (!methods.has(m)) issue([...at, 'input', 'calls', j + 1], `"${m}" is not one of methods`);
          });
          if (!Array.isArray(t.expected) || t.expected.length !== t.input.calls.length) {
            issue([...at, 'expected'], 'a class test expects one value per call (null for the constructor)');
          }
        }
      });
    }
    for (const e of p.edgeCases) if (!covered.has(e.id)) issue(['edgeCases'], `"${e.id}" is covered by no hidden test`);
  });
export type Problem = z.infer<typeof ProblemSchema>;
export type Topic = Problem['topic'];
export type Difficulty = Problem['difficulty'];
export type CompareMode = Problem['compare'];

/** Turns the growth generator's source into a function; throws (naming the problem) if it does not compile. */
export function growthOf(problem: Pick<Problem, 'id' | 'growth'>): (n: number) => PackTestInput {
  let fn: unknown;
  try {
    fn = new Function(`return (${problem.growth});`)();
  } catch (e) {
    throw new CodingPackError(`coding problem ${problem.id}: field "growth": does not compile: ${(e as Error).message}`);
  }
  if (typeof fn !== 'function') throw new CodingPackError(`coding problem ${problem.id}: field "growth": is not a function`);
  return (n) => TestInputSchema.parse((fn as (n: number) => unknown)(n));
}

/** A value on one line this long is read as JSON when it is JSON (a large test's input or expected value). */
const LONG_LINE = 500;

/**
 * The YAML parser takes seconds over the large tests' values (thousands of numbers in flow style),
 * which are JSON on one line: those lines are read with JSON.parse instead, the rest as YAML.
 */
function parseYamlWithJsonLines(text: string): unknown {
  const values = new Map<string, unknown>();
  const lines = text.split('\n').map((line) => {
    const m = /^(\s*(?:- )?[A-Za-z]+: )([[{].*)$/.exec(line);
    if (!m || line.length < LONG_LINE) return line;
    try {
      const token = `@json-line-${values.size}@`;
      values.set(token, JSON.parse(m[2]!));
      return `${m[1]}'${token}'`;
    } catch {
      return line;
    }
  });
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string' && values.has(v)) return values.get(v);
    if (Array.isArray(v)) return v.map(restore);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    return v;
  };
  return restore(parseYaml(lines.join('\n')));
}

/** Reads one problem file and validates it; a broken file names the file and the field. */
export function readProblem(path: string): Problem {
  let data: unknown;
  try {
    data = parseYamlWithJsonLines(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CodingPackError(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = ProblemSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new CodingPackError(`${path}: field "${field}": ${issue.message}`);
  }
  const expected = basename(path).replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expected) {
    throw new CodingPackError(`${path}: field "id": must match the file name ("${expected}"), got "${parsed.data.id}"`);
  }
  try {
    growthOf(parsed.data);
  } catch (e) {
    throw new CodingPackError(`${path}: ${(e as Error).message}`);
  }
  return parsed.data;
}

/** The coding problems, read and validated once; looked up by id, topic and difficulty. */
export class CodingPack {
  readonly problems: readonly Problem[];
  private readonly byId: Map<string, Problem>;

  constructor(problems: Problem[]) {
    this.problems = problems;
    this.byId = new Map(problems.map((p) => [p.id, p]));
  }

  get(id: string): Problem | undefined {
    return this.byId.get(id);
  }

  /** Problems of a topic and/or difficulty, in id order. */
  find(filter: { topic?: Topic; difficulty?: Difficulty } = {}): Problem[] {
    return this.problems.filter(
      (p) => (!filter.topic || p.topic === filter.topic) && (!filter.difficulty || p.difficulty === filter.difficulty),
    );
  }

  topics(): Topic[] {
    return TOPICS.filter((t) => this.problems.some((p) => p.topic === t));
  }
}

let shipped: CodingPack | undefined;

/**
 * The shipped pack, read once per process (about 0.1 s warm, more on a cold start): what start-up
 * and the coding round call, so a broken problem file stops the server naming the file and field.
 */
export function codingPack(): CodingPack {
  return (shipped ??= loadCodingPack());
}

/** Reads and validates every problems/*.yaml in a folder. */
export function loadCodingPack(dir: string = PROBLEMS_DIR): CodingPack {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new CodingPackError(`${dir}: no coding problem files (*.yaml) found`);
  return new CodingPack(files.map((f) => readProblem(join(dir, f))));
}

/** What the candidate may see of a problem: no hidden tests, references, wrong solutions or edge cases. */
export function publicView(p: Problem) {
  return {
    id: p.id,
    title: p.title,
    topic: p.topic,
    difficulty: p.difficulty,
    kind: p.kind,
    statement: p.statement,
    examples: p.examples,
    constraints: p.constraints,
    entry: p.entry,
    starter: p.starter,
    visibleTests: p.tests.visible.map((t) => ({ name: t.name, input: t.input, expected: t.expected })),
    hiddenTestCount: p.tests.hidden.length,
  };
}
