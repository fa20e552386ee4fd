import { createRoute, z } from '@hono/zod-openapi';
import { BankEntry, Category, TOPICS } from '../bank/schema.js';
import { AppError } from '../errors.js';
import { createRouter, errors, json, Pagination } from './common.js';

const ListQuery = Pagination.extend({
  category: Category.optional().openapi({ description: 'company, behavioral, technical or system_design' }),
  topic: z.enum(TOPICS).optional(),
  source: z.string().min(1).max(100).optional().openapi({ example: 'amazon' }),
  q: z.string().min(1).max(200).optional().openapi({ description: 'words that must all appear in the prompt or reference answer' }),
});

const QuestionList = z
  .object({ items: z.array(BankEntry), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('QuestionList');

const list = createRoute({
  operationId: 'listQuestions',
  method: 'get',
  path: '/',
  tags: ['bank'],
  summary: 'List and search bank questions',
  request: { query: ListQuery },
  responses: {
    200: json(QuestionList, 'A page of questions (with an ETag: send it back as If-None-Match to revalidate)'),
    304: { description: 'Not modified: the page is the one the If-None-Match ETag names' },
    ...errors(400, 500),
  },
});

const Facet = z.array(z.object({ id: z.string(), count: z.number().int() }));
const facets = createRoute({
  operationId: 'getQuestionFacets',
  method: 'get',
  path: '/facets',
  tags: ['bank'],
  summary: 'The categories, topics and sources in the bank, with question counts',
  responses: {
    200: json(z.object({ categories: Facet, topics: Facet, sources: Facet }).openapi('QuestionFacets'), 'Facets'),
    ...errors(500),
  },
});

const one = createRoute({
  operationId: 'getQuestion',
  method: 'get',
  path: '/{id}',
  tags: ['bank'],
  summary: 'One question with its reference answer',
  request: { params: z.object({ id: z.string().min(1).max(200) }) },
  responses: { 200: json(BankEntry, 'The question'), ...errors(400, [404, 'No such question'], 500) },
});

export const questionRoutes = createRouter()
  .openapi(facets, (c) => c.json(c.var.deps.bank.facets, 200))
  .openapi(list, (c) => {
    const page = c.var.deps.bank.page(c.req.valid('query'));
    const headers = { ETag: page.etag, 'Cache-Control': 'no-cache' };
    if (c.req.header('if-none-match') === page.etag) return c.body(null, 304, headers);
    return c.body(page.body, 200, { ...headers, 'Content-Type': 'application/json' });
  })
  .openapi(one, (c) => {
    const { id } = c.req.valid('param');
    const question = c.var.deps.bank.get(id);
    if (!question) throw new AppError('not_found', `No question with id "${id}"`);
    return c.json(question, 200);
  });
