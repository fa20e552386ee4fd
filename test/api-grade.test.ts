import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/app.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { gradeReply } from './helpers/replies.js';

const STRONG =
  'DynamoDB replicates every partition across three Availability Zones, and writes succeed once a quorum of replicas persist them, so a node failure loses no data. ' +
  'Failed nodes are repaired with hinted handoff and anti-entropy with Merkle trees, and storage is decoupled from compute so each scales independently.';

describe('POST /api/grade with the offline grader', () => {
  const { post } = makeApp();

  it('grades a bank question by id', async () => {
    const { status, body } = await post('/api/grade', { questionId: 'amazon-32', answer: STRONG });
    expect(status).toBe(200);
    expect(body).toMatchObject({ questionId: 'amazon-32', rubricId: 'technical', grader: { kind: 'offline' } });
    expect(body.score).toBeGreaterThan(40);
    expect(body.criteria).toHaveLength(5);
  });

  it('grades an inline question with its own reference answer and rubric', async () => {
    const { status, body } = await post('/api/grade', {
      question: 'What does a load balancer do?',
      referenceAnswer: 'It spreads incoming requests across healthy servers and stops sending traffic to unhealthy ones.',
      rubricId: 'technical',
      answer:
        'A load balancer distributes incoming requests over the healthy servers and removes unhealthy servers after failed health checks.',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ questionId: 'inline', rubricId: 'technical' });
    expect(body.coveredPoints).toHaveLength(1);
  });

  it.each([
    [{ questionId: 'amazon-11', answer: 'x' }, 404, 'not_found', /No question with id "amazon-11"/],
    [{ questionId: 'amazon-32', answer: '   ' }, 400, 'bad_request', /The answer is empty/],
    [{ questionId: 'amazon-32' }, 400, 'bad_request', /body field "answer": is required/],
    [{ questionId: 'amazon-32', answer: 42 }, 400, 'bad_request', /body field "answer": must be a string/],
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
    [{ questionId: 'amazon-32', answer: 'fine', colour: 'blue' }, 400, 'bad_request', /^Unknown body field "colour"$/],
    [{ answer: 'x' }, 400, 'bad_request', /Give either "questionId" or all of "question", "referenceAnswer" and "rubricId"/],
    [{ question: 'Q?', referenceAnswer: 'A.', rubricId: 'vibes', answer: 'x' }, 400, 'bad_request', /Unknown rubricId "vibes"/],
    ['{"questionId": ', 400, 'bad_request', /not valid JSON/],
  ])('rejects %j with %i', async (body, status, code, message) => {
    const res = await post('/api/grade', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses a body over the size limit before parsing it', async () => {
    const res = await post('/api/grade', { questionId: 'amazon-32', answer: 'a'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('is documented in the OpenAPI document with the Grade schema', async () => {
    const { json } = makeApp();
    const { body } = await json('/openapi.json');
    expect(body.paths['/api/grade'].post).toBeDefined();
    expect(Object.keys(body.components.schemas.Grade.properties)).toEqual(
      expect.arrayContaining(['score', 'overall', 'verdict', 'criteria', 'coveredPoints', 'missedPoints', 'flags']),
    );
  });
});

describe('POST /api/grade with a model', () => {
  const { post, json } = makeApp(MODEL_ENV);

  it('uses the configured model and reports it', async () => {
    mock.reply(gradeReply('technical', 5, 'hinted handoff'));
    const { status, body } = await post('/api/grade', { questionId: 'amazon-32', answer: STRONG });
    expect(status).toBe(200);
    expect(body).toMatchObject({ grader: { kind: 'llm', model: 'gpt-test' }, score: 100, verdict: 'strong_hire' });
    const health = await json('/api/health');
    expect(health.body).toMatchObject({ provider: 'openai', model: 'gpt-test' });
  });

  it('turns a model failure into a clear 5xx error', async () => {
    mock.reply({ kind: 'status', status: 429 });
    const { status, body } = await post('/api/grade', { questionId: 'amazon-32', answer: STRONG });
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'model_rate_limited' });
  });

  it('can be forced to the offline grader', async () => {
    const { status, body } = await post('/api/grade', { questionId: 'amazon-32', answer: STRONG, provider: 'offline' });
    expect(status).toBe(200);
    expect(body.grader.kind).toBe('offline');
    expect(mock.requests).toHaveLength(0);
  });
});
