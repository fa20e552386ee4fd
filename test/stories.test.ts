import { describe, expect, it } from 'vitest';
import { JOBS } from '../bench/calibration/story-pairs.js';
import { makeApp } from './helpers/app.js';

type Story = { id: string; title: string; renamed: boolean; merged: string[]; principles: Array<{ name: string }>; figures: string[] };
type Told = { sessionId: string; questionId: string; position: number };
type Bank = { stories: Array<Story & { told: Told[] }>; coverage: Array<{ principle: string; stories: string[] }>; gaps: string[] };

/** A scripted loop: these behavioural questions, answered with these stories, no follow-ups. */
async function scriptedLoop(post: ReturnType<typeof makeApp>['post'], answers: Array<[string, string]>, headers = {}) {
  const s = await post('/api/sessions', { questionIds: answers.map(([q]) => q), maxFollowUps: 0, seed: 1 }, headers);
  expect(s.status).toBe(201);
  for (const [, text] of answers) expect((await post(`/api/sessions/${s.body.id}/answer`, { text }, headers)).status).toBe(200);
  return s.body.id as string;
}

const send = async (
  app: ReturnType<typeof makeApp>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const res = await app.request(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
};

const bankOf = async (app: ReturnType<typeof makeApp>, headers: Record<string, string> = {}) =>
  (await app.json('/api/stories', { headers })).body as Bank;

describe('the story bank', () => {
  it('keeps each story once however often it was told, with where it was told, what it showed and the gaps', async () => {
    const { post, json } = makeApp();
    const first = await scriptedLoop(post, [
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[1]!.told],
    ]);
    const second = await scriptedLoop(post, [['lp-deliver-results-1', JOBS[0]!.retold]]);

    const bank = (await json('/api/stories')).body;
    expect(bank.stories).toHaveLength(2);
    const retold = bank.stories.find((s: { id: string }) => s.id === `${first}:0`);
    expect(retold.told.map((t: { sessionId: string; questionId: string }) => [t.sessionId, t.questionId])).toEqual([
      [first, 'lp-ownership-1'],
      [second, 'lp-deliver-results-1'],
    ]);
    expect(JOBS[0]!.told.startsWith(retold.situation.replace(/…$/, ''))).toBe(true);
    expect(bank.coverage).toHaveLength(16);
    for (const c of bank.coverage) {
      for (const id of c.stories) {
        const story = bank.stories.find((s: { id: string }) => s.id === id);
        expect(story.principles.map((p: { name: string }) => p.name)).toContain(c.principle);
      }
    }
    const uncovered = bank.coverage.filter((c: { stories: string[] }) => !c.stories.length).map((c: { principle: string }) => c.principle);
    expect(bank.gaps).toEqual(uncovered.map((p: string) => `No story shows ${p}.`));
    expect(bank.gaps.length).toBeGreaterThan(0);
    expect(bank.overUsed).toEqual([]);
  });

  it('names a story told three times as over-used', async () => {
    const { post, json } = makeApp();
    const s = await post('/api/sessions', {
      questionIds: ['lp-ownership-1', 'lp-dive-deep-1', 'lp-deliver-results-1'],
      maxFollowUps: 0,
      seed: 1,
    });
    for (const text of [JOBS[2]!.told, JOBS[2]!.retold, JOBS[2]!.told]) await post(`/api/sessions/${s.body.id}/answer`, { text });
    const bank = (await json('/api/stories')).body;
    expect(bank.stories).toHaveLength(1);
    expect(bank.overUsed[0]).toMatch(/was told 3 times/);
  });

  it('after two loops maps the stories to the principles they showed and names the principles no story shows', async () => {
    const app = makeApp();
    const first = await scriptedLoop(app.post, [
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[3]!.told],
    ]);
    const second = await scriptedLoop(app.post, [
      ['lp-customer-obsession-1', JOBS[2]!.told],
      ['lp-deliver-results-1', JOBS[0]!.retold],
    ]);
    const bank = await bankOf(app);
    expect(bank.stories.map((s) => s.told.map((t) => t.sessionId))).toEqual([[first, second], [first], [second]]);
    const shows = (principle: string) => bank.coverage.find((c) => c.principle === principle)!.stories;
    // Each story is under every principle its grades found in it, the ones its questions asked for among them.
    for (const s of bank.stories) {
      for (const p of s.principles) expect(shows(p.name)).toContain(s.id);
    }
    const covered = bank.coverage.filter((c) => c.stories.length).map((c) => c.principle);
    expect(covered.length).toBeGreaterThan(0);
    expect(bank.gaps).toContain('No story shows Frugality.');
    expect(bank.gaps).toHaveLength(16 - covered.length);
    for (const p of covered) expect(bank.gaps).not.toContain(`No story shows ${p}.`);
  });
});

describe('editing the story bank', () => {
  it('renames, merges and deletes stories, and the edits hold after another loop and the first loop deleted', async () => {
    const app = makeApp();
    const first = await scriptedLoop(app.post, [
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[1]!.told],
      ['lp-customer-obsession-1', JOBS[2]!.told],
    ]);
    const [a, b, c] = (await bankOf(app)).stories;
    expect([a!.id, b!.id, c!.id]).toEqual([`${first}:0`, `${first}:1`, `${first}:2`]);

    const renamed = await app.client.api.stories[':id'].$patch({ param: { id: a!.id }, json: { title: '  The billing migration  ' } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: a!.id, title: 'The billing migration', renamed: true });

    const merged = await send(app, 'POST', `/api/stories/${encodeURIComponent(b!.id)}/merge`, { into: a!.id });
    expect(merged.status).toBe(200);
    expect(merged.body.id).toBe(a!.id);
    expect(merged.body.merged).toEqual([b!.id]);
    expect(merged.body.told.map((t: Told) => t.position)).toEqual([0, 1]);
    expect(merged.body.principles.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([...a!.principles, ...b!.principles].map((p) => p.name)),
    );
    expect(merged.body.figures).toEqual(expect.arrayContaining([...a!.figures, ...b!.figures]));

    expect((await send(app, 'DELETE', `/api/stories/${encodeURIComponent(c!.id)}`)).status).toBe(204);

    const edited = await bankOf(app);
    expect(edited.stories.map((s) => [s.id, s.title])).toEqual([[a!.id, 'The billing migration']]);
    for (const p of b!.principles) expect(edited.coverage.find((x) => x.principle === p.name)!.stories).toEqual([a!.id]);
    for (const p of c!.principles.filter((p) => ![...a!.principles, ...b!.principles].some((x) => x.name === p.name))) {
      expect(edited.gaps).toContain(`No story shows ${p.name}.`);
    }

    // Another loop tells all three again: the deleted one stays deleted, the merged one joins the other.
    const second = await scriptedLoop(app.post, [
      ['lp-deliver-results-1', JOBS[0]!.retold],
      ['lp-earn-trust-1', JOBS[1]!.retold],
      ['lp-bias-for-action-1', JOBS[2]!.retold],
    ]);
    const after = await bankOf(app);
    expect(after.stories).toHaveLength(1);
    expect(after.stories[0]).toMatchObject({ id: a!.id, title: 'The billing migration', renamed: true });
    expect(after.stories[0]!.told.map((t) => [t.sessionId, t.position])).toEqual([
      [first, 0],
      [first, 1],
      [second, 0],
      [second, 1],
    ]);

    // The first loop deleted: its stories stay through their retellings, with the candidate's edits.
    expect((await send(app, 'DELETE', `/api/sessions/${first}`)).status).toBe(204);
    const left = await bankOf(app);
    expect(left.stories.map((s) => [s.id, s.title, s.merged])).toEqual([[`${second}:0`, 'The billing migration', [`${second}:1`]]]);
    expect(left.stories[0]!.told.map((t) => [t.sessionId, t.position])).toEqual([
      [second, 0],
      [second, 1],
    ]);
  });

  it('deletes a session with the stories only it told, and their edits', async () => {
    const app = makeApp();
    const first = await scriptedLoop(app.post, [['lp-ownership-1', JOBS[0]!.told]]);
    const second = await scriptedLoop(app.post, [['lp-dive-deep-1', JOBS[1]!.told]]);
    expect((await send(app, 'PATCH', `/api/stories/${first}:0`, { title: 'Mine' })).status).toBe(200);
    expect((await send(app, 'DELETE', `/api/stories/${second}:0`)).status).toBe(204);
    expect((await send(app, 'DELETE', `/api/sessions/${first}`)).status).toBe(204);
    expect((await bankOf(app)).stories).toEqual([]);
    expect((await app.deps.store.storyEdits('local')).map((e) => e.storyKey)).toEqual([`${second}:0`]);
  });

  it("keeps each user's stories and edits their own: another user's story is a 404", async () => {
    const app = makeApp({ AUTH: 'token' });
    await app.deps.accounts.addUser('alice');
    await app.deps.accounts.addUser('bob');
    const alice = { authorization: `Bearer ${(await app.deps.accounts.createToken('alice')).token}` };
    const bob = { authorization: `Bearer ${(await app.deps.accounts.createToken('bob')).token}` };
    const hers = await scriptedLoop(app.post, [['lp-ownership-1', JOBS[0]!.told]], alice);
    const his = await scriptedLoop(app.post, [['lp-dive-deep-1', JOBS[1]!.told]], bob);
    const story = `${hers}:0`;

    expect((await bankOf(app, bob)).stories.map((s) => s.id)).toEqual([`${his}:0`]);
    expect((await send(app, 'PATCH', `/api/stories/${story}`, { title: 'Bob was here' }, bob)).status).toBe(404);
    expect((await send(app, 'POST', `/api/stories/${story}/merge`, { into: `${his}:0` }, bob)).status).toBe(404);
    expect((await send(app, 'DELETE', `/api/stories/${story}`, undefined, bob)).status).toBe(404);
    const into = await send(app, 'POST', `/api/stories/${his}:0/merge`, { into: story }, bob);
    expect(into.status).toBe(400);
    expect(into.body.error.message).toMatch(/no story with id/);

    expect((await send(app, 'PATCH', `/api/stories/${story}`, { title: 'Hers' }, alice)).status).toBe(200);
    expect((await bankOf(app, alice)).stories.map((s) => [s.id, s.title])).toEqual([[story, 'Hers']]);
    expect((await bankOf(app, bob)).stories.map((s) => [s.id, s.renamed])).toEqual([[`${his}:0`, false]]);
    expect(await app.deps.store.storyEdits((await app.deps.store.userByName('bob'))!.id)).toEqual([]);
  });

  it("hands a user's edits over with their sessions, and removes them with the user", async () => {
    const app = makeApp({ AUTH: 'token' });
    const { accounts, store } = app.deps;
    for (const name of ['alice', 'bob', 'carol']) await accounts.addUser(name);
    const token = async (name: string) => ({ authorization: `Bearer ${(await accounts.createToken(name)).token}` });
    const [alice, carol] = [await token('alice'), await token('carol')];
    const s = await scriptedLoop(app.post, [['lp-ownership-1', JOBS[0]!.told]], alice);
    expect((await send(app, 'PATCH', `/api/stories/${s}:0`, { title: 'Handed over' }, alice)).status).toBe(200);
    await scriptedLoop(app.post, [['lp-ownership-1', JOBS[1]!.told]], carol);
    expect((await send(app, 'DELETE', `/api/stories/${(await bankOf(app, carol)).stories[0]!.id}`, undefined, carol)).status).toBe(204);

    await accounts.removeUser('alice', { handOverTo: 'bob' });
    const bob = await token('bob');
    expect((await bankOf(app, bob)).stories.map((x) => [x.id, x.title])).toEqual([[`${s}:0`, 'Handed over']]);
    const carolId = (await store.userByName('carol'))!.id;
    expect(await store.storyEdits(carolId)).toHaveLength(1);
    await accounts.removeUser('carol', 'delete');
    expect(await store.storyEdits(carolId)).toEqual([]);
  });

  it('documents the edits and the export in the OpenAPI document', async () => {
    const { body } = await makeApp().json('/openapi.json');
    expect(body.paths['/api/stories/{id}'].patch.operationId).toBe('renameStory');
    expect(body.paths['/api/stories/{id}'].delete.operationId).toBe('deleteStory');
    expect(body.paths['/api/stories/{id}/merge'].post.operationId).toBe('mergeStory');
    expect(body.paths['/api/stories/export'].get.operationId).toBe('exportStories');
    expect(Object.keys(body.paths['/api/stories/{id}/merge'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });

  it('refuses bad edits with clear errors', async () => {
    const app = makeApp();
    const s = await scriptedLoop(app.post, [
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[1]!.told],
      ['lp-customer-obsession-1', JOBS[2]!.told],
    ]);
    const [a, b, c] = [`${s}:0`, `${s}:1`, `${s}:2`];
    const error = async (method: string, path: string, body?: unknown) => {
      const r = await send(app, method, path, body);
      return [r.status, r.body.error.message] as const;
    };
    expect(await error('PATCH', '/api/stories/nope:0', { title: 'x' })).toEqual([404, 'No story with id "nope:0" in your bank']);
    expect((await error('POST', '/api/stories/nope:0/merge', { into: a }))[0]).toBe(404);
    expect((await error('DELETE', '/api/stories/nope:0'))[0]).toBe(404);
    expect(await error('PATCH', `/api/stories/${a}`, { title: '   ' })).toEqual([400, expect.stringMatching(/title/)]);
    expect(await error('PATCH', `/api/stories/${a}`, { title: 'x'.repeat(121) })).toEqual([400, expect.stringMatching(/120/)]);
    expect(await error('PATCH', `/api/stories/${a}`, { name: 'x' })).toEqual([400, expect.stringMatching(/title/)]);
    expect(await error('POST', `/api/stories/${a}/merge`, {})).toEqual([400, expect.stringMatching(/into/)]);
    expect(await error('POST', `/api/stories/${a}/merge`, { into: a })).toEqual([400, expect.stringMatching(/itself/)]);
    expect(await error('POST', `/api/stories/${a}/merge`, { into: 'nope:0' })).toEqual([400, expect.stringMatching(/no story/)]);
    expect((await send(app, 'DELETE', `/api/stories/${c}`)).status).toBe(204);
    expect(await error('POST', `/api/stories/${a}/merge`, { into: c })).toEqual([400, expect.stringMatching(/deleted/)]);
    expect((await error('DELETE', `/api/stories/${c}`))[0]).toBe(404);
    expect((await send(app, 'POST', `/api/stories/${b}/merge`, { into: a })).status).toBe(200);
    expect(await error('PATCH', `/api/stories/${b}`, { title: 'x' })).toEqual([404, expect.stringMatching(/was merged into/)]);
    expect(await error('POST', `/api/stories/${a}/merge`, { into: b })).toEqual([400, expect.stringMatching(/already part of this one/)]);
    expect((await bankOf(app)).stories.map((x) => [x.id, x.merged])).toEqual([[a, [b]]]);
    // Deleting a story deletes what was merged into it.
    expect((await send(app, 'DELETE', `/api/stories/${a}`)).status).toBe(204);
    expect((await bankOf(app)).stories).toEqual([]);
  });

  it('puts the bank, as edited, in the session exports and in an export of its own', async () => {
    const app = makeApp();
    const first = await scriptedLoop(app.post, [
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[3]!.told],
    ]);
    const second = await scriptedLoop(app.post, [['lp-deliver-results-1', JOBS[0]!.retold]]);
    expect((await send(app, 'PATCH', `/api/stories/${first}:0`, { title: 'The billing migration' })).status).toBe(200);
    const bank = await bankOf(app);

    const json = (await app.json(`/api/sessions/${second}/export?format=json`)).body;
    expect(json.stories.map((s: Story) => [s.id, s.title])).toEqual([[`${first}:0`, 'The billing migration']]);
    const md = await (await app.request(`/api/sessions/${second}/export?format=md`)).text();
    expect(md).toContain('## Stories told');
    expect(md).toContain('### The billing migration');
    expect(md).not.toContain(bank.stories[1]!.title);

    const whole = await app.request('/api/stories/export?format=json');
    expect(whole.headers.get('content-disposition')).toMatch(/attachment; filename="mockloop-stories-.*\.json"/);
    expect(await whole.json()).toEqual(bank);
    const doc = await (await app.request('/api/stories/export')).text();
    expect(doc).toMatch(/^# mockloop story bank/);
    expect(doc).toContain('### #1 The billing migration');
    expect(doc).toContain(`### #2 ${bank.stories[1]!.title}`);
    expect(doc).toContain('- No story shows Frugality.');
  });
});
