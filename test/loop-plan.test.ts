import { codingEntries } from '../src/coding/bank.js';
import { codingPack } from '../src/coding/pack.js';
import { describe, expect, it } from 'vitest';
import { readBankDir } from '../src/bank/load.js';
import type { Level } from '../src/grading/levels.js';
import { planLoop } from '../src/interview/plan.js';
import { makeApp } from './helpers/app.js';

const bank = [...readBankDir(), ...codingEntries(codingPack())];
const byId = new Map(bank.map((e) => [e.id, e]));

describe('a loop plan', () => {
  it('never gives a principle to two interviewers nor asks about it twice, whatever the seed and level', () => {
    for (const level of ['L4', 'L5', 'L6', 'L7'] as Level[]) {
      for (let seed = 0; seed < 40; seed++) {
        const { plan, questions } = planLoop({ bank, level, interviews: level === 'L4' ? 4 : 5, seed: String(seed) });
        const owned = plan.interviews.flatMap((i) => i.principles);
        expect(new Set(owned).size).toBe(owned.length);
        expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
        for (const interview of plan.interviews) {
          for (const p of interview.positions) {
            // every principle a question asks about is owned by the interviewer who asks it
            for (const lp of questions[p]!.leadershipPrinciples) expect(interview.principles).toContain(lp);
          }
          const asked = interview.positions.flatMap((p) => questions[p]!.leadershipPrinciples);
          for (const lp of interview.principles) expect(asked).toContain(lp);
          expect(interview.positions.filter((p) => questions[p]!.category !== 'behavioral').length).toBeLessThanOrEqual(1);
        }
        const positions = plan.interviews.flatMap((i) => i.positions);
        expect(positions).toEqual(questions.map((_, i) => i));
      }
    }
  });

  it('has four interviews and the Bar Raiser from SDE II, four and no Bar Raiser at SDE I, and no design at SDE I', () => {
    const l5 = planLoop({ bank, level: 'L5', interviews: 5, seed: 'a' }).plan;
    expect(l5.interviews.map((i) => i.interviewer.barRaiser)).toEqual([false, false, false, false, true]);
    expect(l5.interviews.filter((i) => i.area === 'system_design')).toHaveLength(1);
    const l4 = planLoop({ bank, level: 'L4', interviews: 4, seed: 'a' });
    expect(l4.plan.interviews.some((i) => i.interviewer.barRaiser)).toBe(false);
    expect(l4.questions.some((q) => q.category === 'system_design')).toBe(false);
    expect(() => planLoop({ bank, level: 'L4', interviews: 5, seed: 'a' })).toThrow(/1 to 4 for L4/);
    const l6 = planLoop({ bank, level: 'L6', interviews: 5, seed: 'a' });
    expect(l6.plan.interviews.filter((i) => i.area === 'system_design')).toHaveLength(2);
    // from SDE III the designs are the wide ones: global, millions of users, a stated peak load
    for (const q of l6.questions.filter((q) => q.category === 'system_design')) {
      expect(q.prompt).toMatch(/global|millions|QPS/i);
    }
  });

  it('keeps the Bar Raiser in a short loop from SDE II, and the same seed plans the same loop', () => {
    const short = planLoop({ bank, level: 'L5', interviews: 2, seed: 'x' });
    expect(short.plan.interviews.map((i) => [i.interviewer.barRaiser, i.area])).toEqual([
      [false, 'system_design'],
      [true, null],
    ]);
    expect(planLoop({ bank, level: 'L5', interviews: 2, seed: 'x' })).toEqual(short);
  });
});

describe('POST /api/sessions with interviews', () => {
  it('starts an SDE II loop with its plan, its level and interviewers, and each question knows its interview', async () => {
    const { client } = makeApp();
    const res = await client.api.sessions.$post({ json: { interviews: 5, seed: 'plan' } });
    expect(res.status).toBe(201);
    const s = await res.json();
    if ('error' in s) throw new Error(s.error.message);
    expect(s.level).toBe('L5');
    expect(s.loop).toBe('SDE II loop: 4 interviews and the Bar Raiser');
    expect(s.plan!.interviews).toHaveLength(5);
    expect(s.plan!.interviews[4]!.interviewer).toMatchObject({ name: 'Hannah Lee', barRaiser: true });
    for (const [i, interview] of s.plan!.interviews.entries()) {
      for (const p of interview.positions) expect(s.questions[p]!.interview).toBe(i);
    }
    expect(s.questions.map((q) => byId.get(q.questionId)!.id)).toHaveLength(s.questions.length);
  });

  it('refuses interviews with mix or questionIds, and more interviews than the level has', async () => {
    const { post } = makeApp();
    const mixed = await post('/api/sessions', { interviews: 3, mix: { technical: 1 } });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/without mix or questionIds/);
    const tooMany = await post('/api/sessions', { interviews: 5, level: 'L4' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/1 to 4 for L4/);
    const bad = await post('/api/sessions', { interviews: 9 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/interviews/);
  });

  it('sets the default practice mix by level: no system design at SDE I', async () => {
    const { client } = makeApp();
    const start = async (level: Level) => {
      const s = await (await client.api.sessions.$post({ json: { level, seed: 1 } })).json();
      if ('error' in s) throw new Error(s.error.message);
      return s;
    };
    const l4 = await start('L4');
    expect(l4.plan).toBeNull();
    expect(l4.questions.some((q) => q.category === 'system_design')).toBe(false);
    const l6 = await start('L6');
    expect(l6.questions.filter((q) => q.category === 'system_design')).toHaveLength(2);
  });
});

describe('a session from before levels', () => {
  it('still replays, exports and counts in Progress, with no level and no plan', async () => {
    const { client, deps, json, request } = makeApp();
    const res = await client.api.sessions.$post({ json: { questionIds: ['lp-ownership-1'], seed: 'old', maxFollowUps: 0 } });
    const s = await res.json();
    if ('error' in s) throw new Error(s.error.message);
    // as 0.3 stored it: a request without a level, no plan
    const { level: _level, ...request0 } = (await deps.store.session(s.id))!.request;
    await deps.store.updateSession(s.id, { request: request0, plan: null });
    await json(`/api/sessions/${s.id}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'I owned the migration of our billing service and cut failed invoices by 40% in two months.' }),
    });
    const replay = await json(`/api/sessions/${s.id}`);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ level: null, plan: null, feedback: [] });
    expect(replay.body.questions[0].interview).toBeNull();
    expect((await request(`/api/sessions/${s.id}/export?format=md`)).status).toBe(200);
    const progress = await json('/api/progress');
    expect(progress.body.points[0]).toMatchObject({ level: null });
  });
});
