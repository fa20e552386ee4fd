import { z } from '@hono/zod-openapi';
import type { Problem } from '../coding/pack.js';
import type { CodeRun } from '../coding/results.js';

const TestInput = z.union([
  z.object({ args: z.array(z.unknown()) }),
  z.object({ calls: z.array(z.tuple([z.string(), z.array(z.unknown())])) }),
]);
const Reason = z.enum(['wrong_answer', 'error', 'not_run']);

export const CodeRunView = z
  .object({
    number: z.number().int().openapi({ description: "The run's number within its question (1, 2, …)" }),
    kind: z.enum(['run', 'submit']),
    language: z.enum(['javascript', 'python']),
    code: z.string(),
    at: z.string(),
    status: z.enum(['ok', 'compile_error', 'timeout', 'memory', 'crashed']),
    error: z.string().optional(),
    output: z.string(),
    passed: z.boolean(),
    visible: z.object({ passed: z.number().int(), total: z.number().int() }),
    hidden: z.object({ passed: z.number().int(), total: z.number().int() }),
    tests: z.array(
      z.union([
        z.object({
          index: z.number().int(),
          hidden: z.literal(false),
          name: z.string().optional(),
          passed: z.boolean(),
          input: TestInput,
          expected: z.unknown(),
          got: z.unknown().optional(),
          reason: Reason.optional(),
          error: z.string().optional(),
        }),
        z.object({ index: z.number().int(), hidden: z.literal(true), passed: z.boolean(), reason: Reason.optional() }),
      ]),
    ),
    growth: z
      .object({ measured: z.string().nullable(), expected: z.string().nullable(), withinExpected: z.boolean().nullable() })
      .optional()
      .openapi({ description: "A submit's running time on growing inputs; the expected complexity shows once the question is over" }),
  })
  .openapi('CodeRun');
export type CodeRunView = z.infer<typeof CodeRunView>;

export const CodingView = z
  .object({
    problemId: z.string(),
    title: z.string(),
    topic: z.string(),
    difficulty: z.enum(['easy', 'medium', 'hard']),
    statement: z.string().openapi({ description: 'Markdown' }),
    examples: z.array(z.object({ input: z.string(), output: z.string(), explanation: z.string().optional() })),
    constraints: z.array(z.string()),
    starter: z.object({ javascript: z.string(), python: z.string() }),
    runs: z.array(CodeRunView),
  })
  .openapi('CodingProblem');
export type CodingView = z.infer<typeof CodingView>;

/** A run as the candidate sees it: a hidden test's pass or fail, never its input; what the interviewer reads of it stays out. */
export function codeRunView(run: CodeRun, number: number, done: boolean): CodeRunView {
  const { judgement, growth } = run.result;
  return {
    number,
    kind: run.kind,
    language: run.language,
    code: run.code,
    at: run.createdAt,
    status: run.result.status,
    ...(run.result.error && { error: run.result.error }),
    // A submit's output is not shown: the hidden tests' inputs reach the code, which could print them.
    output: run.kind === 'submit' ? '' : run.result.output,
    passed: judgement.passed,
    visible: judgement.visible,
    hidden: judgement.hidden,
    tests: judgement.tests,
    ...(growth && {
      growth: { measured: growth.measured, expected: done ? growth.expected : null, withinExpected: growth.withinExpected },
    }),
  };
}

/** A coding question's problem as the candidate may see it, with its runs so far. */
export function codingView(problem: Problem, runs: CodeRun[], done: boolean): CodingView {
  return {
    problemId: problem.id,
    title: problem.title,
    topic: problem.topic,
    difficulty: problem.difficulty,
    statement: problem.statement,
    examples: problem.examples,
    constraints: problem.constraints,
    starter: problem.starter,
    runs: runs.map((r, i) => codeRunView(r, i + 1, done)),
  };
}
