import { codingPack } from '../src/coding/pack.js';
import { describe, expect, it } from 'vitest';
import { makeApp, onPostgres } from './helpers/app.js';

describe('bank and rubric API', () => {
  const { json, request } = makeApp();

  it('GET /api/health reports status, the offline provider and the database', async () => {
    const { status, body } = await json('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', provider: 'offline', model: null, grader: 'offline grader' });
    expect(body.database.kind).toBe(onPostgres() ? 'postgres' : 'sqlite');
    expect(body.database.questions).toBeGreaterThanOrEqual(112);
  });

  it('GET /api/questions pages through all questions', async () => {
    const first = await json('/api/questions?limit=100');
    expect(first.status).toBe(200);
    expect(first.body.total).toBeGreaterThanOrEqual(112);
    expect(first.body.items).toHaveLength(100);
    const second = await json(`/api/questions?limit=100&offset=100`);
    expect(second.body.items.length).toBe(first.body.total - 100);
    const ids = new Set([...first.body.items, ...second.body.items].map((q: { id: string }) => q.id));
    expect(ids.size).toBe(first.body.total);
  });

  it('filters by category, topic, source and text', async () => {
    const design = await json('/api/questions?category=system_design&limit=100');
    expect(design.body.items.length).toBeGreaterThan(3);
    expect(design.body.items.every((q: { rubric: string }) => q.rubric === 'system-design')).toBe(true);

    const dynamo = await json('/api/questions?topic=dynamodb&limit=100');
    expect(dynamo.body.items.map((q: { id: string }) => q.id)).toContain('amazon-32');
    expect(dynamo.body.items.every((q: { topics: string[] }) => q.topics.includes('dynamodb'))).toBe(true);

    const lp = await json('/api/questions?source=mockloop-lp&limit=100');
    expect(lp.body.total).toBeGreaterThanOrEqual(32);

    const flywheel = await json('/api/questions?q=flywheel%20bezos');
    expect(flywheel.body.items.map((q: { id: string }) => q.id)).toEqual(['amazon-5']);

    // % and _ are matched literally, not as LIKE wildcards
    const percent = await json('/api/questions?q=%25&limit=100');
    expect(percent.body.total).toBeGreaterThan(0);
    for (const q of percent.body.items) expect(q.prompt + q.referenceAnswer + q.id).toContain('%');
    expect((await json('/api/questions?q=_%25_')).body.total).toBe(0);
  });

  it('answers a page again with 304 when the client sends back its ETag, and a different page with 200', async () => {
    const first = await request('/api/questions?category=technical&limit=5');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const page = await first.json();
    expect(page.items).toHaveLength(5);

    const again = await request('/api/questions?category=technical&limit=5', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const other = await request('/api/questions?category=technical&limit=5&offset=5', { headers: { 'If-None-Match': etag! } });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
    expect((await other.json()).items[0].id).not.toBe(page.items[0].id);
  });

  it.each([
    ['category=design', /query parameter "category"/],
    ['topic=blockchain', /query parameter "topic"/],
    ['limit=0', /query parameter "limit": must be a whole number from 1 to 100/],
    ['limit=abc', /query parameter "limit"/],
    ['offset=-1', /query parameter "offset"/],
  ])('rejects ?%s with a 400 naming the parameter', async (query, message) => {
    const { status, body } = await json(`/api/questions?${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(message);
  });

  it('GET /api/questions/:id returns the question with its reference answer', async () => {
    const { status, body } = await json('/api/questions/amazon-45');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'amazon-45', number: 45, category: 'technical', rubric: 'technical', source: 'amazon' });
    expect(body.referenceAnswer).toContain('```python');
  });

  it('GET /api/questions/:id answers 404 with the error shape for an unknown id', async () => {
    const { status, body } = await json('/api/questions/amazon-11');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'not_found', message: 'No question with id "amazon-11"' } });
  });

  it('GET /api/rubrics and /api/rubrics/:id serve rubric definitions', async () => {
    const all = await json('/api/rubrics');
    expect(all.body.items.map((r: { id: string }) => r.id).sort()).toEqual(['coding', 'company', 'star', 'system-design', 'technical']);
    const one = await json('/api/rubrics/system-design');
    expect(one.body.criteria.map((c: { id: string }) => c.id)).toContain('capacity');
    const missing = await json('/api/rubrics/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/No rubric with id "nope"/);
  });

  it('GET /openapi.json documents every route', async () => {
    const { status, body } = await json('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/questions', '/api/questions/{id}', '/api/rubrics', '/api/rubrics/{id}']),
    );
    expect(body.components.schemas.Question).toBeDefined();
  });

  it('gives every operation a unique operationId and declares its errors with the one error schema', async () => {
    const { body } = await json('/openapi.json');
    const operations = Object.entries(body.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { name, op } of operations) {
      const errors = Object.entries(op.responses as Record<string, any>).filter(([status]) => Number(status) >= 400 && status !== '503');
      expect(errors.length, name).toBeGreaterThan(0);
      for (const [, r] of errors) expect(r.content['application/json'].schema.$ref, name).toBe('#/components/schemas/Error');
    }
    const answer = body.paths['/api/sessions/{id}/answer'].post;
    expect(Object.keys(answer.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '421',
      '422',
      '429',
      '500',
      '502',
      '503',
      '504',
    ]);
    expect(body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      cookie: { type: 'apiKey', in: 'cookie' },
    });
    expect(body.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(body.paths['/api/health'].get.security).toEqual([]);
    expect(answer.parameters.map((p: any) => p.name)).toContain('idempotency-key');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('bank facets', () => {
  it('GET /api/questions/facets counts questions per category, topic and source', async () => {
    const { json } = makeApp();
    const { status, body } = await json('/api/questions/facets');
    expect(status).toBe(200);
    const count = (list: Array<{ id: string; count: number }>, id: string) => list.find((x) => x.id === id)?.count;
    expect(count(body.sources, 'amazon')).toBe(80);
    expect(count(body.sources, 'mockloop-lp')).toBeGreaterThanOrEqual(32);
    // Every coding problem of the pack is a question of its own source and category.
    expect(count(body.sources, 'mockloop coding pack')).toBe(codingPack().problems.length);
    expect(count(body.categories, 'coding')).toBe(codingPack().problems.length);
    expect(body.categories.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBe(
      body.sources.reduce((s: number, x: { count: number }) => s + x.count, 0),
    );
    const dynamo = (await json('/api/questions?topic=dynamodb&limit=100')).body.total;
    expect(count(body.topics, 'dynamodb')).toBe(dynamo);
  });
});
