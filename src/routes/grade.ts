import { createRoute, z } from '@hono/zod-openapi';
import { Grade } from '../grading/grade.js';
import { Level } from '../grading/levels.js';
import { OfflineGrader } from '../grading/offline/index.js';
import { gradeTarget, MAX_ANSWER_CHARS, resolveGradeInput } from '../grading/service.js';
import { reserveBudget } from '../middleware/limits.js';
import { createRouter, errors, json } from './common.js';

const GradeRequest = z
  .object({
    questionId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ example: 'amazon-32', description: 'A bank question; or give question, referenceAnswer and rubricId' }),
    question: z.string().min(1).max(5000).optional(),
    referenceAnswer: z.string().max(50_000).optional(),
    rubricId: z.string().min(1).max(100).optional().openapi({ example: 'technical' }),
    answer: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .openapi({ description: `The answer: up to ${MAX_ANSWER_CHARS} characters` }),
    level: Level.optional().openapi({ description: 'The level whose bar the answer is graded against (default L5, SDE II)' }),
    provider: z.enum(['offline']).optional().openapi({ description: 'Force the offline grader' }),
  })
  .strict()
  .openapi('GradeRequest');

const route = createRoute({
  operationId: 'gradeAnswer',
  method: 'post',
  path: '/',
  tags: ['grading'],
  summary: 'Grade one answer (stateless)',
  description:
    'Grades an answer to a bank question (questionId) or to an inline question with its reference answer and rubric, with the configured grader.',
  request: { body: { content: { 'application/json': { schema: GradeRequest } }, required: true } },
  responses: {
    200: json(Grade, 'The grade'),
    ...errors(400, 403, [404, 'Unknown question'], 413, 415, 429, 500, 502, 503, 504),
  },
});

export const gradeRoutes = createRouter().openapi(route, async (c) => {
  const body = c.req.valid('json');
  const { bank, rubrics, grader } = c.var.deps;
  const input = { ...resolveGradeInput((id) => bank.get(id), rubrics, gradeTarget(body), body.answer), level: body.level };
  const chosen = body.provider === 'offline' ? new OfflineGrader() : grader;
  const userId = c.var.caller.user.id;
  const release = await reserveBudget(c.var.deps, userId, chosen.kind === 'llm');
  try {
    // Only a model call can be cancelled; asking for the signal builds the whole fetch Request.
    const { grade, usage } = await chosen.grade(input, chosen.kind === 'llm' ? { signal: c.req.raw.signal } : {});
    await c.var.deps.accounts.addUsage(userId, usage);
    return c.json(grade, 200);
  } finally {
    await release();
  }
});
