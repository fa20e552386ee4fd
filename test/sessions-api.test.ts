import type { InferRequestType } from 'hono/client';
import { describe, expect, it } from 'vitest';
import { body, type Client, makeApp, testClock } from './helpers/app.js';

type NewSession = InferRequestType<Client['api']['sessions']['$post']>['json'];
type Answer = InferRequestType<Client['api']['sessions'][':id']['answer']['$post']>['json'];

describe('starting a session', () => {
  it('gives the same questions for the same seed, never one twice', async () => {
    const { client } = makeApp();
    const start = (seed: string) =>
      body(client.api.sessions.$post({ json: { seed, mix: { behavioral: 3, technical: 3, system_design: 2, company: 1 } } }), 201);
    const a = await start('practice-1');
    const b = await start('practice-1');
    const c = await start('practice-2');
    const ids = (s: typeof a) => s.questions.map((q) => q.questionId);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)).not.toEqual(ids(c));
    expect(new Set(ids(a)).size).toBe(9);
    expect(a.questions.map((q) => q.category)).toEqual([
      'company',
      'behavioral',
      'behavioral',
      'behavioral',
      'technical',
      'technical',
      'technical',
      'system_design',
      'system_design',
    ]);
  });

  it('defaults to an SDE loop: 2 behavioural, 2 technical, 1 system design, 2 follow-ups', async () => {
    const { client } = makeApp();
    const s = await body(client.api.sessions.$post({ json: {} }), 201);
    expect(s.questions.map((q) => q.category)).toEqual(['behavioral', 'behavioral', 'technical', 'technical', 'system_design']);
    expect(s.maxFollowUps).toBe(2);
    expect(s.loop).toBe('2 behavioural + 2 technical + 1 system design');
  });

  it('avoids questions from recent sessions while others remain', async () => {
    const { client } = makeApp();
    const start = async () =>
      (await body(client.api.sessions.$post({ json: { mix: { technical: 5 } } }), 201)).questions.map((q) => q.questionId);
    const first = await start();
    const second = await start();
    expect(second.filter((id) => first.includes(id))).toEqual([]);
  });

  it('prefers questions on the requested topics', async () => {
    const { client } = makeApp();
    const s = await body(client.api.sessions.$post({ json: { mix: { technical: 3 }, topics: ['dynamodb'], seed: 1 } }), 201);
    expect(s.questions.every((q) => q.topics.includes('dynamodb'))).toBe(true);
  });

  it('asks explicit questions in the given order', async () => {
    const { client } = makeApp();
    const s = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-51', 'lp-frugality-1'] } }), 201);
    expect(s.questions.map((q) => q.questionId)).toEqual(['amazon-51', 'lp-frugality-1']);
    expect(s.questions.map((q) => q.timeBoxSeconds)).toEqual([1200, 300]);
  });

  it.each<[NewSession, RegExp]>([
    [{ mix: { technical: 0 } }, /mix asks for no questions/],
    [{ mix: { system_design: 10 } }, /mix asks for 10 system_design questions; the bank has/],
    [{ questionIds: ['amazon-32', 'amazon-32'] }, /lists "amazon-32" twice/],
    [{ questionIds: ['amazon-12'] }, /no question with id "amazon-12"/],
  ])('rejects %j with a 400 naming the problem', async (json, message) => {
    const { client } = makeApp();
    const r = await body(client.api.sessions.$post({ json }), 400);
    expect(r.error.message).toMatch(message);
  });

  // Raw: bodies the schema itself refuses (out of range, unknown fields, wrong types, not JSON).
  it.each([
    [{ maxFollowUps: 4 }, /body field "maxFollowUps": must be 0, 1, 2 or 3/],
    [{ mix: { technical: -1 } }, /body field "mix.technical": must be a whole number from 0 to 10/],
    [{ mix: { trivia: 2 } }, /^Unknown body field "mix.trivia"$/],
    [{ topics: ['knitting'] }, /body field "topics.0"/],
    [{ colour: 'blue' }, /^Unknown body field "colour"$/],
    [{ seed: { a: 1 } }, /body field "seed": must be a string \(up to 100 characters\) or a whole number/],
    ['[1, 2', /not valid JSON/],
  ])('rejects %j with a 400 naming the problem', async (body, message) => {
    const { post } = makeApp();
    const r = await post('/api/sessions', body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });
});

describe('turns on a session', () => {
  it.each<[Answer, 400, RegExp]>([
    [{ text: '' }, 400, /The answer is empty/],
    [{ text: '   \n ' }, 400, /The answer is empty/],
    [{ text: 'x'.repeat(10_001) }, 400, /The answer is 10001 characters long; the limit is 10000/],
    [{ text: '🙂'.repeat(10_001) }, 400, /The answer is 10001 characters long; the limit is 10000/],
    [{ text: '\u200b\u2060\u200b' }, 400, /The answer is empty/],
    [{ text: 'lone \udc00 half' }, 400, /unpaired surrogate/],
  ])('rejects the answer %j and stores nothing', async (json, status, message) => {
    const { client } = makeApp();
    const { id } = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32'] } }), 201);
    const session = client.api.sessions[':id'];
    const r = await body(session.answer.$post({ param: { id }, header: {}, json }), status);
    expect(r.error.message).toMatch(message);
    expect((await body(session.$get({ param: { id } }), 200)).messages).toHaveLength(2);
  });

  // Raw: bodies the schema itself refuses (a missing field, an unknown one).
  it.each([
    [{}, 400, /body field "text": is required/],
    [{ text: 'fine', mood: 'calm' }, 400, /^Unknown body field "mood"$/],
  ])('rejects the answer %j and stores nothing', async (body, status, message) => {
    const { post, json } = makeApp();
    const id = (await post('/api/sessions', { questionIds: ['amazon-32'] })).body.id;
    const r = await post(`/api/sessions/${id}/answer`, body);
    expect(r.status).toBe(status);
    expect(r.body.error.message).toMatch(message);
    expect((await json(`/api/sessions/${id}`)).body.messages).toHaveLength(2);
  });

  it('answers 404 for an unknown session, for every verb', async () => {
    const { client } = makeApp();
    const session = client.api.sessions[':id'];
    const param = { id: 'nope' };
    for (const turn of [
      () => session.answer.$post({ param, header: {}, json: { text: 'hello' } }),
      () => session.skip.$post({ param, header: {} }),
      () => session.finish.$post({ param, header: {} }),
      () => session.retry.$post({ param, header: {} }),
    ]) {
      const r = await body(turn(), 404);
      expect(r.error).toEqual({ code: 'not_found', message: 'No session with id "nope"' });
    }
    expect((await session.$get({ param })).status).toBe(404);
    expect((await session.$delete({ param })).status).toBe(404);
  });

  it('answers 409 to a finished session, and finishing early debriefs what was answered', async () => {
    const { client } = makeApp();
    const { id } = await body(
      client.api.sessions.$post({ json: { questionIds: ['amazon-32', 'amazon-31', 'amazon-33'], maxFollowUps: 0 } }),
      201,
    );
    const session = client.api.sessions[':id'];
    const param = { id };
    await session.answer.$post({
      param,
      header: {},
      json: {
        text: 'DynamoDB replicates each partition across three Availability Zones with quorum writes, so a node failure loses nothing.',
      },
    });
    const finished = await body(session.finish.$post({ param, header: {} }), 200);
    // the turn's reply is lean: what it stored and where the session stands
    expect(finished.session).toMatchObject({ status: 'finished', gradedCount: 1, skippedCount: 1, currentPosition: 1 });
    expect(finished.session).not.toHaveProperty('questions');
    expect(finished.messages.map((m) => m.kind)).toEqual(['skip', 'closing']);
    const full = await body(session.$get({ param }), 200);
    expect(full.questions.map((q) => q.state)).toEqual(['graded', 'skipped', 'pending']);
    expect(full.debrief).toMatchObject({ questionsAsked: 2, questionsAnswered: 1, questionsSkipped: 1 });
    for (const turn of [
      () => session.answer.$post({ param, header: {}, json: { text: 'late' } }),
      () => session.skip.$post({ param, header: {} }),
      () => session.finish.$post({ param, header: {} }),
      () => session.retry.$post({ param, header: {} }),
    ]) {
      const r = await body(turn(), 409);
      expect(r.error.code).toBe('conflict');
    }
  });

  it('deletes a session and everything in it', async () => {
    const { client, deps } = makeApp();
    const { id } = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32'] } }), 201);
    const session = client.api.sessions[':id'];
    await session.answer.$post({ param: { id }, header: {}, json: { text: 'Replication across AZs.' } });
    expect((await session.$delete({ param: { id } })).status).toBe(204);
    expect((await session.$get({ param: { id } })).status).toBe(404);
    const { store } = deps;
    expect([...(await store.messages(id)), ...(await store.grades(id)), ...(await store.questions(id))]).toEqual([]);
    expect(await store.session(id)).toBeUndefined();
  });

  it('exports a session as Markdown and as JSON', async () => {
    const { client, request } = makeApp();
    const { id } = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32'], maxFollowUps: 0 } }), 201);
    const session = client.api.sessions[':id'];
    await session.answer.$post({ param: { id }, header: {}, json: { text: 'DynamoDB replicates data across three AZs.' } });
    const md = await session.export.$get({ param: { id }, query: { format: 'md' } });
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.headers.get('content-disposition')).toMatch(/attachment; filename="mockloop-.*\.md"/);
    const text = await md.text();
    expect(text).toContain('> DynamoDB replicates data across three AZs.');
    expect(text).toMatch(/### Feedback: [\d.]+\/100/);
    expect(text).toContain('## Debrief');
    const js = await body(session.export.$get({ param: { id }, query: { format: 'json' } }), 200);
    expect(js.id).toBe(id);
    // Raw: a format the schema does not have.
    expect((await request(`/api/sessions/${id}/export?format=pdf`)).status).toBe(400);
  });

  it('lists sessions newest first with a summary score', async () => {
    const clock = testClock();
    const { client } = makeApp({}, clock);
    const older = (await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32'] } }), 201)).id;
    clock.advance(1000);
    const newer = (await body(client.api.sessions.$post({ json: { questionIds: ['amazon-31'] } }), 201)).id;
    const list = await body(client.api.sessions.$get({ query: {} }), 200);
    expect(list.items.map((s) => s.id)).toEqual([newer, older]);
    expect(list.total).toBe(2);
    expect(list.items[0]).toMatchObject({ score: null, questionCount: 1, status: 'active' });
  });

  it('documents the session routes in OpenAPI', async () => {
    const { json } = makeApp();
    // Raw: the OpenAPI document is not a route of the typed client.
    const paths = Object.keys((await json('/openapi.json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/sessions',
        '/api/sessions/{id}',
        '/api/sessions/{id}/answer',
        '/api/sessions/{id}/skip',
        '/api/sessions/{id}/finish',
        '/api/sessions/{id}/retry',
        '/api/sessions/{id}/export',
      ]),
    );
  });
});

describe('what the page is served', () => {
  it('gives the default loop the API starts when the request leaves it out', async () => {
    const { client } = makeApp();
    const defaults = await body(client.api.sessions.defaults.$get(), 200);
    const started = await body(client.api.sessions.$post({ json: {} }), 201);
    const counts = Object.fromEntries(defaults.categories.map((c) => [c, started.questions.filter((q) => q.category === c).length]));
    expect(counts).toEqual(Object.fromEntries(defaults.categories.map((c) => [c, defaults.mix[c] ?? 0])));
    expect(started.maxFollowUps).toBe(defaults.maxFollowUps);
  });

  it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
    const { client, request } = makeApp();
    const { id } = await body(client.api.sessions.$post({ json: {} }), 201);
    const res = await request(`/api/sessions/${id}/answer`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: { code: 'unsupported_media_type', message: 'The request body must be JSON: send it with Content-Type: application/json' },
    });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('answers 404 for the vendor file "%s"', async (name) => {
    const { json } = makeApp();
    // Raw: the vendor files are not routes of the typed client.
    const res = await json(`/vendor/${name}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
