import { describe, expect, it } from 'vitest';
import { JOBS as jobs } from '../bench/calibration/story-pairs.js';
import { readBankDir } from '../src/bank/load.js';
import { codingEntries } from '../src/coding/bank.js';
import { codingPack } from '../src/coding/pack.js';
import { VOTES } from '../src/interview/feedback.js';
import { makeApp, testDatabase } from './helpers/app.js';

const bank = new Map([...readBankDir(), ...codingEntries(codingPack())].map((e) => [e.id, e]));

/** Distinct stories, one per behavioural question, and the reference answer for the others. */
function answerFor(questionId: string, story: () => string): string {
  const q = bank.get(questionId)!;
  return q.category === 'behavioral' ? story() : q.referenceAnswer;
}

describe('an SDE II loop over several sittings', () => {
  it('hands over between interviewers, writes each vote when its interview ends, resumes after a stop, and debriefs as a meeting', async () => {
    const env = testDatabase({ persistent: true });
    const first = makeApp(env);
    const start = await first.post('/api/sessions', { interviews: 5, level: 'L5', seed: 'sittings', maxFollowUps: 0 });
    expect(start.status).toBe(201);
    const id: string = start.body.id;
    const plan = start.body.plan;
    expect(start.body.messages.at(-1).content).toMatch(/^Hi, I'm Elena Petrova, Principal Engineer\. This is interview 1 of 5/);

    // Stories: the first one is told again (reworded) to the Bar Raiser; every other story is different.
    const distinct = jobs.map((j) => j.another).reverse();
    const retoldJob = jobs[0]!;
    let told = 0;
    const story = () => (told++ === 0 ? retoldJob.told : distinct.pop()!);
    const lastStory = plan.interviews[4].positions.find((p: number) => start.body.questions[p].category === 'behavioral');

    // sitting 1: interview 1, then stop
    for (const p of plan.interviews[0].positions) {
      const res = await first.post(`/api/sessions/${id}/answer`, { text: answerFor(start.body.questions[p].questionId, story) });
      expect(res.status).toBe(200);
    }
    const afterOne = await first.json(`/api/sessions/${id}`);
    expect(afterOne.body.feedback).toHaveLength(1);
    const vote = afterOne.body.feedback[0];
    expect(VOTES).toContain(vote.vote);
    expect(vote.interviewer.name).toBe('Elena Petrova');
    expect(vote.principles.map((p: { name: string }) => p.name)).toEqual(plan.interviews[0].principles);
    const handoff = afterOne.body.messages.at(-1).content as string;
    expect(handoff).toMatch(/That's the end of my interview, thank you\. Priya Raman will take it from here\./);
    expect(handoff).toMatch(/Hi, I'm Priya Raman, Senior Software Engineer on the hiring team\. This is interview 2 of 5/);

    // sitting 2: a new server on the same database picks the loop up where it stopped
    const second = makeApp(env);
    const resumed = await second.json(`/api/sessions/${id}`);
    expect(resumed.body.status).toBe('active');
    expect(resumed.body.currentPosition).toBe(plan.interviews[1].positions[0]);
    for (const interview of plan.interviews.slice(1)) {
      for (const p of interview.positions) {
        const text = p === lastStory ? retoldJob.retold : answerFor(start.body.questions[p].questionId, story);
        const res = await second.post(`/api/sessions/${id}/answer`, { text });
        expect(res.status).toBe(200);
      }
    }
    const done = await second.json(`/api/sessions/${id}`);
    expect(done.body.status).toBe('finished');
    // one answer per question: nothing doubled across the sittings
    const answers = done.body.messages.filter((m: { kind: string }) => m.kind === 'answer');
    expect(answers).toHaveLength(done.body.questions.length);

    const meeting = done.body.debrief.meeting;
    expect(meeting.level).toBe('L5');
    expect(meeting.feedback.map((f: { interviewer: { name: string } }) => f.interviewer.name)).toEqual([
      'Elena Petrova',
      'Priya Raman',
      'Marcus Chen',
      'David Okafor',
      'Hannah Lee',
    ]);
    expect(meeting.barRaiser.name).toBe('Hannah Lee');
    expect(['hire', 'hire_one_level_down', 'no_hire']).toContain(meeting.decision.outcome);

    // the story told twice, and only that one, is flagged on both cards and in the debrief
    const firstStory = plan.interviews[0].positions.find((p: number) => start.body.questions[p].category === 'behavioral');
    expect(meeting.retold).toHaveLength(1);
    expect(meeting.retold[0]).toMatchObject({
      earlier: { position: firstStory, interviewer: 'Elena Petrova' },
      later: { position: lastStory, interviewer: 'Hannah Lee' },
    });
    const flagged = done.body.questions.filter((q: { retold: unknown[] }) => q.retold.length).map((q: { position: number }) => q.position);
    expect(flagged).toEqual([firstStory, lastStory]);
    expect(meeting.feedback[4].concerns.join(' ')).toMatch(/The same story was told to Elena Petrova and Hannah Lee/);

    // the exports carry the level, the interviewers, their votes and the decision
    const md = await (await second.request(`/api/sessions/${id}/export?format=md`)).text();
    expect(md).toContain('- Level: SDE II (L5)');
    expect(md).toMatch(/- Interview 5: Hannah Lee, Bar Raiser, .* \(Bar Raiser\); owns /);
    expect(md).toMatch(/### Elena Petrova's feedback: (Strongly )?(Not )?Inclined/);
    expect(md).toContain('## Debrief meeting (SDE II (L5))');
    expect(md).toMatch(/\| Hannah Lee \(Bar Raiser\) \| .* \| (Strongly )?(Not )?Inclined \|/);
    expect(md).toContain('Story told twice');
    const exported = await (await second.request(`/api/sessions/${id}/export?format=json`)).json();
    expect(exported.level).toBe('L5');
    expect(exported.plan.interviews).toHaveLength(5);
    expect(exported.debrief.meeting.decision).toEqual(meeting.decision);
  });
});

describe('a loop finished early', () => {
  it('decides insufficient evidence, with votes only from the interviews the candidate reached', async () => {
    const { post, json } = makeApp();
    const start = await post('/api/sessions', { interviews: 5, seed: 'early', maxFollowUps: 0 });
    const id: string = start.body.id;
    for (const p of start.body.plan.interviews[0].positions) {
      await post(`/api/sessions/${id}/answer`, { text: answerFor(start.body.questions[p].questionId, () => jobs[p]!.told) });
    }
    expect((await post(`/api/sessions/${id}/finish`, {})).status).toBe(200);
    const done = await json(`/api/sessions/${id}`);
    const meeting = done.body.debrief.meeting;
    expect(meeting.decision.outcome).toBe('insufficient_evidence');
    // Priya Raman asked her first question and the candidate ended the loop: she votes on that; nobody after her does
    expect(meeting.feedback.map((f: { interviewer: { name: string } }) => f.interviewer.name)).toEqual(['Elena Petrova', 'Priya Raman']);
    expect(meeting.feedback[1]).toMatchObject({ vote: 'strongly_not_inclined' });
    expect(meeting.feedback[1].concerns.join(' ')).toMatch(/not answered/);
    expect(done.body.debrief.recommendation.verdict).toBe('insufficient_evidence');
  });
});
