import { describe, expect, it } from 'vitest';
import { anchorQuote } from '../src/interview/anchor.js';
import { makeApp } from './helpers/app.js';

const WE_STORY =
  'Last year our payments team had a reconciliation job that kept failing at month end. ' +
  'We migrated the database to a new cluster over two weekends. ' +
  'It went fine in the end and the job stopped failing.';

describe('offline follow-ups that dig into the story', () => {
  it('quote the candidate\'s "we" when asking what they did themselves', () => {
    expect(anchorQuote(WE_STORY, 'action', [])).toBe('We migrated the database to a new cluster over two weekends');
    // a quote used once is not used again in the same question
    expect(anchorQuote(WE_STORY, 'action', ['You said "We migrated the database to a new cluster over two weekends".'])).not.toMatch(
      /^We migrated/,
    );
    expect(anchorQuote('Yes.', 'action', [])).toBeNull();
  });

  it('never ask the same probe or quote twice in one question, and each follow-up quotes the answer', async () => {
    const { post } = makeApp();
    const s = await post('/api/sessions', { questionIds: ['lp-ownership-1', 'amazon-32'], maxFollowUps: 3, seed: 1 });
    const id = s.body.id;
    let turn = await post(`/api/sessions/${id}/answer`, { text: WE_STORY });
    const followUps: string[] = [];
    while (turn.body.messages.at(-1).kind === 'followup') {
      followUps.push(turn.body.messages.at(-1).content);
      turn = await post(`/api/sessions/${id}/answer`, { text: 'We shipped it together as a team and everyone helped out a lot with it.' });
    }
    expect(followUps.length).toBeGreaterThanOrEqual(2);
    const quotes = followUps.map((f) => /^You said "([^"]+)"\. /.exec(f)?.[1]);
    expect(quotes.every((q) => q !== undefined)).toBe(true);
    for (const q of quotes)
      expect(`${WE_STORY} We shipped it together as a team and everyone helped out a lot with it.`).toContain(q!.replace(/…$/, ''));
    expect(new Set(quotes).size).toBe(quotes.length);
    const probes = followUps.map((f) => f.replace(/^You said "[^"]+"\. /, ''));
    expect(new Set(probes).size).toBe(probes.length);
  });
});
