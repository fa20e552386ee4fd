import { describe, expect, it } from 'vitest';
import type { InferRequestType } from 'hono/client';
import { body, type Client, makeApp } from './helpers/app.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { gradeReply } from './helpers/replies.js';

type GradeRequest = InferRequestType<Client['api']['grade']['$post']>['json'];

const STRONG =
  'DynamoDB replicates every partition across three Availability Zones, and writes succeed once a quorum of replicas persist them, so a node failure loses no data. ' +
  'Failed nodes are repaired with hinted handoff and anti-entropy with Merkle trees, and storage is decoupled from compute so each scales independently.';

describe('POST /api/grade with the offline grader', () => {
  it('grades a bank question by id', async () => {
    const { client } = makeApp();
    const graded = await body(client.api.grade.$post({ json: { questionId: 'amazon-32', answer: STRONG } }), 200);
    expect(graded).toMatchObject({ questionId: 'amazon-32', rubricId: 'technical', grader: { kind: 'offline' } });
    expect(graded.score).toBeGreaterThan(40);
    expect(graded.criteria).toHaveLength(5);
  });

  it('grades an inline question with its own reference answer and rubric', async () => {
    const { client } = makeApp();
    const graded = await body(
      client.api.grade.$post({
        json: {
          question: 'What does a load balancer do?',
          referenceAnswer: 'It spreads incoming requests across healthy servers and stops sending traffic to unhealthy ones.',
          rubricId: 'technical',
          answer:
            'A load balancer distributes incoming requests over the healthy servers and removes unhealthy servers after failed health checks.',
        },
      }),
      200,
    );
    expect(graded).toMatchObject({ questionId: 'inline', rubricId: 'technical' });
    expect(graded.coveredPoints).toHaveLength(1);
  });

  it.each<[GradeRequest, 400 | 404, string, RegExp]>([
    [{ questionId: 'amazon-11', answer: 'x' }, 404, 'not_found', /No question with id "amazon-11"/],
    [{ questionId: 'amazon-32', answer: '   ' }, 400, 'bad_request', /The answer is empty/],
    [
      { questionId: 'amazon-32', answer: 'a'.repeat(10_001) },
      400,
      'bad_request',
      /The answer is 10001 characters long; the limit is 10000/,
    ],
    [
      { questionId: 'amazon-32', answer: '😀'.repeat(10_001) },
      400,
      'bad_request',
      /The answer is 10001 characters long; the limit is 10000/,
    ],
    [{ questionId: 'amazon-32', answer: '\u200b\u200b \ufeff' }, 400, 'bad_request', /The answer is empty/],
    [{ questionId: 'amazon-32', answer: 'broken \ud800 text' }, 400, 'bad_request', /unpaired surrogate/],
    [{ answer: 'x' }, 400, 'bad_request', /Give either "questionId" or all of "question", "referenceAnswer" and "rubricId"/],
    [{ question: 'Q?', referenceAnswer: 'A.', rubricId: 'vibes', answer: 'x' }, 400, 'bad_request', /Unknown rubricId "vibes"/],
  ])('rejects %j with %i', async (json, status, code, message) => {
    const { client } = makeApp();
    const res = await body(client.api.grade.$post({ json }), status);
    expect(res.error.code).toBe(code);
    expect(res.error.message).toMatch(message);
  });

  // Raw: bodies the schema itself refuses (a missing field, a wrong type, an unknown field, not JSON).
  it.each([
    [{ questionId: 'amazon-32' }, /body field "answer": is required/],
    [{ questionId: 'amazon-32', answer: 42 }, /body field "answer": must be a string/],
    [{ questionId: 'amazon-32', answer: 'fine', colour: 'blue' }, /^Unknown body field "colour"$/],
    ['{"questionId": ', /not valid JSON/],
  ])('rejects %j with 400', async (json, message) => {
    const { post } = makeApp();
    const res = await post('/api/grade', json);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses a body over the size limit before parsing it', async () => {
    const { client } = makeApp();
    const res = await body(client.api.grade.$post({ json: { questionId: 'amazon-32', answer: 'a'.repeat(300_000) } }), 413);
    expect(res.error.code).toBe('payload_too_large');
  });

  it('is documented in the OpenAPI document with the Grade schema', async () => {
    const { json } = makeApp();
    // Raw: the OpenAPI document is not a route of the typed client.
    const { body } = await json('/openapi.json');
    expect(body.paths['/api/grade'].post).toBeDefined();
    expect(Object.keys(body.components.schemas.Grade.properties)).toEqual(
      expect.arrayContaining(['score', 'overall', 'verdict', 'criteria', 'coveredPoints', 'missedPoints', 'flags']),
    );
  });
});

describe('POST /api/grade with a model', () => {
  it('uses the configured model and reports it', async () => {
    const { client } = makeApp(MODEL_ENV);
    mock.reply(gradeReply('technical', 5, 'hinted handoff'));
    const graded = await body(client.api.grade.$post({ json: { questionId: 'amazon-32', answer: STRONG } }), 200);
    expect(graded).toMatchObject({ grader: { kind: 'llm', model: 'gpt-test' }, score: 100, verdict: 'strong_hire' });
    const health = await body(client.api.health.$get(), 200);
    expect(health).toMatchObject({ provider: 'openai', model: 'gpt-test' });
  });

  it('turns a model failure into a clear 5xx error', async () => {
    const { client } = makeApp(MODEL_ENV);
    mock.reply({ kind: 'status', status: 429 });
    const res = await body(client.api.grade.$post({ json: { questionId: 'amazon-32', answer: STRONG } }), 503);
    expect(res.error).toMatchObject({ code: 'model_rate_limited' });
  });

  it('can be forced to the offline grader', async () => {
    const { client } = makeApp(MODEL_ENV);
    const graded = await body(client.api.grade.$post({ json: { questionId: 'amazon-32', answer: STRONG, provider: 'offline' } }), 200);
    expect(graded.grader.kind).toBe('offline');
    expect(mock.requests).toHaveLength(0);
  });
});
