import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import { Rubric } from '../grading/rubrics.js';
import { createRouter, errors, json } from './common.js';

const list = createRoute({
  operationId: 'listRubrics',
  method: 'get',
  path: '/',
  tags: ['rubrics'],
  summary: 'All rubric definitions',
  responses: { 200: json(z.object({ items: z.array(Rubric) }), 'Rubrics'), ...errors(500) },
});

const one = createRoute({
  operationId: 'getRubric',
  method: 'get',
  path: '/{id}',
  tags: ['rubrics'],
  summary: 'One rubric',
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: { 200: json(Rubric, 'The rubric'), ...errors(400, [404, 'No such rubric'], 500) },
});

export const rubricRoutes = createRouter()
  .openapi(list, (c) => c.json({ items: [...c.var.deps.rubrics.values()] }, 200))
  .openapi(one, (c) => {
    const { id } = c.req.valid('param');
    const rubric = c.var.deps.rubrics.get(id);
    if (!rubric) {
      throw new AppError('not_found', `No rubric with id "${id}" (available: ${[...c.var.deps.rubrics.keys()].join(', ')})`);
    }
    return c.json(rubric, 200);
  });
