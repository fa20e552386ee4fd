import { describe, expect, it } from 'vitest';
import { measureStoryReuse } from '../bench/calibration/story-reuse.js';
import { HELD_OUT_PAIRS } from '../bench/calibration/story-pairs-heldout.js';
import { JOBS, STORY_PAIRS } from '../bench/calibration/story-pairs.js';
import { compareStories, sameStory } from '../src/grading/story-reuse.js';
import { storySpecifics } from '../src/grading/story-specifics.js';

const payouts = JOBS.find((j) => j.job === 'payments payouts')!;
const pair = (name: string) => STORY_PAIRS.find((p) => p.name === name)!;
/** The payouts story a third time, shorter, for another interviewer. */
const payoutsThirdTime =
  'For Earn Trust I would tell you about the Friday night when Paystream paid 1,140 merchants twice, about $380K. I was on call, so I stopped the payout job and found every double entry in the Postgres ledger. Marcus in finance ops and I sent reversal files to the bank, and Dana kept the merchants informed. We got back all but $12K within 4 days, and I made payouts idempotent and reconciled the ledger with the bank every hour.';

/** Two different stories from one job, told in the same everyday words of work. */
const everydayWords = [
  'At Brightline, on the mobile team, my manager asked me to lead the release of our new onboarding feature for customers. The deadline was tight and the team was worried about quality. I planned the work, reviewed every change, wrote the tests and built a dashboard, and we shipped the feature on time. Customers finished onboarding 12% more often, and my manager asked me to lead the next release as well. I learned that planning early and reviewing changes with the team makes a tight deadline possible.',
  'At Brightline, on the mobile team, customers reported that the app lost their saved cart after a release. My manager asked me to find the problem. I looked at the crash reports and the dashboard, found that a database migration in the release had dropped a table, and fixed it with the team the same day. We shipped the fix, reviewed the tests of every migration and added a check to the release process. Customer complaints stopped within a week. I learned to review changes with the team before every release, however tight the deadline.',
] as const;

describe('story reuse', () => {
  it('catches a reworded retelling and names the figures, people and phrases both tell, as the later answer writes them', () => {
    const m = sameStory(payouts.told, payouts.retold);
    expect(m.same).toBe(true);
    expect(m.similarity).toBeGreaterThan(0.6);
    expect(m.shared).toEqual(expect.arrayContaining(['1,140 merchants', '$380K', '$12K', 'Four days', 'Marcus', 'reversal files']));
    expect(m.shared.length).toBeLessThanOrEqual(12);
  });

  it('does not flag two different stories from the same job, even two incidents on the same system', () => {
    expect(sameStory(payouts.told, payouts.another).same).toBe(false);
    const incident = pair('payments payouts: another incident on the same consumer');
    const m = sameStory(incident.earlier, incident.later);
    expect(m.same).toBe(false);
    expect(m.similarity).toBeLessThan(0.5);
  });

  it('counts the words every work story uses for little: two stories told in the same everyday words share little', () => {
    const [a, b] = everydayWords;
    expect(compareStories(a, b).words).toBeLessThan(0.3);
    expect(sameStory(a, b).same).toBe(false);
  });

  it('catches a retelling whose figures were rounded or dropped, on the situation and its phrases', () => {
    expect(
      sameStory(
        pair('checkout conversion: retold with figures rounded').earlier,
        pair('checkout conversion: retold with figures rounded').later,
      ).same,
    ).toBe(true);
    expect(
      sameStory(
        pair('search relevance: retold short, one figure kept').earlier,
        pair('search relevance: retold short, one figure kept').later,
      ).same,
    ).toBe(true);
  });

  it('does not depend on which answer came first', () => {
    for (const p of [...STORY_PAIRS, ...HELD_OUT_PAIRS]) {
      const [ab, ba] = [sameStory(p.earlier, p.later), sameStory(p.later, p.earlier)];
      expect(ab.same, p.name).toBe(ba.same);
      expect(ab.similarity, p.name).toBe(ba.similarity);
    }
  });

  it('never calls empty or short answers one story, even identical ones', () => {
    expect(sameStory('', '')).toEqual({ same: false, similarity: 0, shared: [] });
    expect(sameStory(payouts.told, '').same).toBe(false);
    const short = 'I fixed the duplicate payouts for 1,140 merchants at Paystream in 4 days with Marcus.';
    expect(sameStory(short, short).same).toBe(false);
    expect(sameStory(payouts.told, short).same).toBe(false);
  });

  it("counts for less what the candidate's other answers tell too, so the job's vocabulary does not make two stories one", () => {
    const incident = pair('payments payouts: another incident on the same consumer');
    const alone = sameStory(incident.earlier, incident.later);
    const inLoop = sameStory(incident.earlier, incident.later, [payouts.another, pair('generic: two vague stories').earlier]);
    expect(inLoop.same).toBe(false);
    expect(inLoop.similarity).toBeLessThan(alone.similarity);
  });

  it('catches a story told three times in a loop on every pair of its tellings, the third telling among the others', () => {
    const tellings = [payouts.told, payouts.retold, payoutsThirdTime];
    const loop = [...tellings, payouts.another, JOBS[2]!.told, JOBS[5]!.another];
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      expect(sameStory(tellings[i]!, tellings[j]!, loop).same, `${i} and ${j}`).toBe(true);
    }
    expect(sameStory(payouts.retold, payouts.another, loop).same).toBe(false);
  });

  it('reads a figure the same in digits or in words, with "k", "million" and units', () => {
    const figures = (t: string) => storySpecifics(t).quantities.map((q) => [q.value, q.unit]);
    expect(figures('We saved $2.1M and 9% of 1,140 merchants in 4 days, 900k people, at 400ms.')).toEqual([
      [2_100_000, '$'],
      [9, '%'],
      [1140, 'n:merchant'],
      [4, 'day'],
      [900_000, 'n:peopl'],
      [400, 'ms'],
    ]);
    expect(figures('We saved 2.1 million dollars and nine percent of them in four days, at 400 milliseconds.')).toEqual([
      [2_100_000, '$'],
      [9, '%'],
      [4, 'day'],
      [400, 'ms'],
    ]);
  });

  it('gets every pair of the calibration set right both ways: retold stories caught, different stories not flagged', () => {
    const train = measureStoryReuse(STORY_PAIRS);
    expect(train.retold.total).toBeGreaterThanOrEqual(20);
    expect(train.different.total).toBeGreaterThanOrEqual(20);
    expect(train.wrong).toEqual([]);
  });

  it('gets every held-out pair right both ways (pairs in other styles, not tuned on)', () => {
    const heldOut = measureStoryReuse(HELD_OUT_PAIRS);
    expect(heldOut.retold.total + heldOut.different.total).toBe(16);
    expect(heldOut.wrong).toEqual([]);
  });
});
