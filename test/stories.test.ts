import { describe, expect, it } from 'vitest';
import { JOBS } from '../bench/calibration/story-pairs.js';
import { makeApp } from './helpers/app.js';

describe('the story bank', () => {
  it('keeps each story once however often it was told, with where it was told, what it showed and the gaps', async () => {
    const { post, json } = makeApp();
    const loop = async (answers: Array<[string, string]>) => {
      const s = await post('/api/sessions', { questionIds: answers.map(([q]) => q), maxFollowUps: 0, seed: 1 });
      for (const [, text] of answers) expect((await post(`/api/sessions/${s.body.id}/answer`, { text })).status).toBe(200);
      return s.body.id as string;
    };
    const first = await loop([
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[1]!.told],
    ]);
    const second = await loop([['lp-deliver-results-1', JOBS[0]!.retold]]);

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
});
