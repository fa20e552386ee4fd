import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/app.js';

const WEAK = 'We had an outage after a release once and the team fixed it.';
const MORE =
  'In my previous role I was the on-call owner of our payments API. I pushed a config change that disabled retries and it caused 3% of checkouts to fail for 40 minutes. ' +
  'I rolled back the change myself, told the affected teams what I had done, wrote the postmortem and added an automated check to the pipeline.';
const QUESTIONS = ['lp-ownership-2', 'amazon-32', 'amazon-51'];

/** A token-mode app with two users, alice and bob, each with a session of the same questions. */
async function twoUsers() {
  const app = makeApp({ AUTH: 'token' });
  const { accounts } = app.deps;
  await accounts.addUser('alice');
  await accounts.addUser('bob');
  const as = async (name: string) => ({ authorization: `Bearer ${(await accounts.createToken(name)).token}` });
  const alice = await as('alice');
  const bob = await as('bob');
  const start = async (who: Record<string, string>) => {
    const res = await app.post('/api/sessions', { questionIds: QUESTIONS, maxFollowUps: 1 }, who);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const answer = async (who: Record<string, string>, id: string, body: Record<string, unknown>) => {
    const res = await app.post(`/api/sessions/${id}/answer`, body, who);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const ids = async (who: Record<string, string>, id: string): Promise<number[]> =>
    (await app.json(`/api/sessions/${id}`, { headers: who })).body.messages.map((m: { id: number }) => m.id);
  return { app, alice, bob, start, answer, ids };
}

describe('message ids', () => {
  it("number each session's messages from 1, whoever else is talking meanwhile", async () => {
    const { alice, bob, start, answer, ids } = await twoUsers();
    const mine = await start(alice);
    const theirs = await start(bob);
    expect(await ids(alice, mine)).toEqual([1, 2]);
    expect(await ids(bob, theirs)).toEqual([1, 2]);

    const first = await answer(alice, mine, { text: WEAK, replyTo: 2 });
    expect(first.messages.map((m: { id: number }) => m.id)).toEqual([3, 4]);

    // Bob talks between alice's turns: none of it shows in alice's ids.
    await answer(bob, theirs, { text: WEAK });
    await answer(bob, theirs, { text: MORE });
    expect(await ids(bob, theirs)).toEqual([1, 2, 3, 4, 5, 6]);

    const second = await answer(alice, mine, { text: MORE, replyTo: 4 });
    expect(second.messages.map((m: { id: number }) => m.id)).toEqual([5, 6]);
    expect(await ids(alice, mine)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('take replyTo as the number the session shows, and refuse an earlier one', async () => {
    const { app, alice, bob, start, answer } = await twoUsers();
    await answer(bob, await start(bob), { text: WEAK });
    const id = await start(alice);
    const first = await answer(alice, id, { text: WEAK, replyTo: 2 });
    const followUp = first.messages.at(-1);
    expect(followUp).toMatchObject({ id: 4, role: 'interviewer', kind: 'followup' });
    const stale = await app.post(`/api/sessions/${id}/answer`, { text: MORE, replyTo: 2 }, alice);
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/interviewer has said more/);
    await answer(alice, id, { text: MORE, replyTo: followUp.id });
  });

  it("show a question's id as its number in the session", async () => {
    const { alice, bob, start, app } = await twoUsers();
    await start(bob);
    const id = await start(alice);
    const s = (await app.json(`/api/sessions/${id}`, { headers: alice })).body;
    expect(s.questions.map((q: { id: number }) => q.id)).toEqual([1, 2, 3]);
    expect(s.messages.map((m: { sessionQuestionId: number | null }) => m.sessionQuestionId)).toEqual([null, 1]);
  });
});
