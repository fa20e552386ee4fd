import { describe, expect, it } from 'vitest';
import { body, makeApp, testClock } from './helpers/app.js';

describe('starting a session', () => {
  it('gives the same questions for the same seed, never one twice', async () => {
    const { post } = makeApp();
    const a = await post('/api/sessions', { seed: 'practice-1', mix: { behavioral: 3, technical: 3, system_design: 2, company: 1 } });
    const b = await post('/api/sessions', { seed: 'practice-1', mix: { behavioral: 3, technical: 3, system_design: 2, company: 1 } });
    const c = await post('/api/sessions', { seed: 'practice-2', mix: { behavioral: 3, technical: 3, system_design: 2, company: 1 } });
    const ids = (s: any) => s.body.questions.map((q: any) => q.questionId);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)).not.toEqual(ids(c));
    expect(new Set(ids(a)).size).toBe(9);
    expect(a.body.questions.map((q: any) => q.category)).toEqual([
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
    const { post } = makeApp();
    const s = (await post('/api/sessions', {})).body;
    expect(s.questions.map((q: any) => q.category)).toEqual(['behavioral', 'behavioral', 'technical', 'technical', 'system_design']);
    expect(s.maxFollowUps).toBe(2);
    expect(s.loop).toBe('2 behavioural + 2 technical + 1 system design');
  });

  it('avoids questions from recent sessions while others remain', async () => {
    const { post } = makeApp();
    const first = (await post('/api/sessions', { mix: { technical: 5 } })).body.questions.map((q: any) => q.questionId);
    const second = (await post('/api/sessions', { mix: { technical: 5 } })).body.questions.map((q: any) => q.questionId);
    expect(second.filter((id: string) => first.includes(id))).toEqual([]);
  });

  it('prefers questions on the requested topics', async () => {
    const { post } = makeApp();
    const s = (await post('/api/sessions', { mix: { technical: 3 }, topics: ['dynamodb'], seed: 1 })).body;
    expect(s.questions.every((q: any) => q.topics.includes('dynamodb'))).toBe(true);
  });

  it('asks explicit questions in the given order', async () => {
    const { post } = makeApp();
    const s = (await post('/api/sessions', { questionIds: ['amazon-51', 'lp-frugality-1'] })).body;
    expect(s.questions.map((q: any) => q.questionId)).toEqual(['amazon-51', 'lp-frugality-1']);
    expect(s.questions.map((q: any) => q.timeBoxSeconds)).toEqual([1200, 300]);
  });

  it.each([
    [{ maxFollowUps: 4 }, /body field "maxFollowUps": must be 0, 1, 2 or 3/],
    [{ mix: { technical: -1 } }, /body field "mix.technical": must be a whole number from 0 to 10/],
    [{ mix: { trivia: 2 } }, /^Unknown body field "mix.trivia"$/],
    [{ mix: { technical: 0 } }, /mix asks for no questions/],
    [{ mix: { system_design: 10 } }, /mix asks for 10 system_design questions; the bank has/],
    [{ questionIds: ['amazon-32', 'amazon-32'] }, /lists "amazon-32" twice/],
    [{ questionIds: ['amazon-12'] }, /no question with id "amazon-12"/],
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
  it.each([
    [{ text: '' }, 400, /The answer is empty/],
    [{ text: '   \n ' }, 400, /The answer is empty/],
    [{}, 400, /body field "text": is required/],
    [{ text: 'x'.repeat(10_001) }, 400, /The answer is 10001 characters long; the limit is 10000/],
    [{ text: '🙂'.repeat(10_001) }, 400, /The answer is 10001 characters long; the limit is 10000/],
    [{ text: '\u200b\u2060\u200b' }, 400, /The answer is empty/],
    [{ text: 'lone \udc00 half' }, 400, /unpaired surrogate/],
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
    const { post, json, request } = makeApp();
    for (const path of ['answer', 'skip', 'finish', 'retry']) {
      const r = await post(`/api/sessions/nope/${path}`, { text: 'hello' });
      expect(r.status).toBe(404);
      expect(r.body.error).toEqual({ code: 'not_found', message: 'No session with id "nope"' });
    }
    expect((await json('/api/sessions/nope')).status).toBe(404);
    expect((await request('/api/sessions/nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 409 to a finished session, and finishing early debriefs what was answered', async () => {
    const { post, json } = makeApp();
    const id = (await post('/api/sessions', { questionIds: ['amazon-32', 'amazon-31', 'amazon-33'], maxFollowUps: 0 })).body.id;
    await post(`/api/sessions/${id}/answer`, {
      text: 'DynamoDB replicates each partition across three Availability Zones with quorum writes, so a node failure loses nothing.',
    });
    const finished = await post(`/api/sessions/${id}/finish`, {});
    expect(finished.status).toBe(200);
    // the turn's reply is lean: what it stored and where the session stands
    expect(finished.body.session).toMatchObject({ status: 'finished', gradedCount: 1, skippedCount: 1, currentPosition: 1 });
    expect(finished.body.session.questions).toBeUndefined();
    expect(finished.body.messages.map((m: any) => m.kind)).toEqual(['skip', 'closing']);
    const full = (await json(`/api/sessions/${id}`)).body;
    expect(full.questions.map((q: any) => q.state)).toEqual(['graded', 'skipped', 'pending']);
    expect(full.debrief).toMatchObject({ questionsAsked: 2, questionsAnswered: 1, questionsSkipped: 1 });
    for (const path of ['answer', 'skip', 'finish', 'retry']) {
      const r = await post(`/api/sessions/${id}/${path}`, { text: 'late' });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('conflict');
    }
  });

  it('deletes a session and everything in it', async () => {
    const { post, json, request, deps } = makeApp();
    const id = (await post('/api/sessions', { questionIds: ['amazon-32'] })).body.id;
    await post(`/api/sessions/${id}/answer`, { text: 'Replication across AZs.' });
    expect((await request(`/api/sessions/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(`/api/sessions/${id}`)).status).toBe(404);
    const { store } = deps;
    expect([...(await store.messages(id)), ...(await store.grades(id)), ...(await store.questions(id))]).toEqual([]);
    expect(await store.session(id)).toBeUndefined();
  });

  it('exports a session as Markdown and as JSON', async () => {
    const { post, request } = makeApp();
    const id = (await post('/api/sessions', { questionIds: ['amazon-32'], maxFollowUps: 0 })).body.id;
    await post(`/api/sessions/${id}/answer`, { text: 'DynamoDB replicates data across three AZs.' });
    const md = await request(`/api/sessions/${id}/export?format=md`);
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.headers.get('content-disposition')).toMatch(/attachment; filename="mockloop-.*\.md"/);
    const text = await md.text();
    expect(text).toContain('> DynamoDB replicates data across three AZs.');
    expect(text).toMatch(/### Feedback: [\d.]+\/100/);
    expect(text).toContain('## Debrief');
    const js = await request(`/api/sessions/${id}/export?format=json`);
    expect((await js.json()).id).toBe(id);
    expect((await request(`/api/sessions/${id}/export?format=pdf`)).status).toBe(400);
  });

  it('lists sessions newest first with a summary score', async () => {
    const clock = testClock();
    const { post, json } = makeApp({}, clock);
    const older = (await post('/api/sessions', { questionIds: ['amazon-32'] })).body.id;
    clock.advance(1000);
    const newer = (await post('/api/sessions', { questionIds: ['amazon-31'] })).body.id;
    const list = (await json('/api/sessions')).body;
    expect(list.items.map((s: any) => s.id)).toEqual([newer, older]);
    expect(list.total).toBe(2);
    expect(list.items[0]).toMatchObject({ score: null, questionCount: 1, status: 'active' });
  });

  it('documents the session routes in OpenAPI', async () => {
    const { json } = makeApp();
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
    expect(counts).toEqual({ company: 0, ...defaults.mix });
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
    const res = await json(`/vendor/${name}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
