import { describe, expect, it } from 'vitest';
import { body, makeApp } from './helpers/app.js';
import { parseSse } from './helpers/sse.js';

const STORY_WEAK = 'We had an outage after a release once and the team fixed it.';
const STORY_MORE =
  'In my previous role I was the on-call owner of our payments API. I pushed a config change that disabled retries and it caused 3% of checkouts to fail for 40 minutes. ' +
  'I rolled back the change myself, told the affected teams what I had done, wrote the postmortem and added an automated check to the pipeline. Failed checkouts went back to 0.1%. I learned to canary every config change.';
const DESIGN =
  'Requirements first: 80k QPS at peak and p99 under 50 ms. A batch job builds a trie from the query logs every 15 minutes and stores snapshots in S3; stateless ECS tasks behind an NLB in three AZs load it into memory, and CloudFront caches hot prefixes. ' +
  'The data model maps a prefix to its top 10 suggestions, partitioned by the first two characters. Failed nodes drop out through health checks. The trade-off is freshness against cost.';

describe('a full offline loop through the HTTP API', () => {
  it('asks, follows up, skips, grades, debriefs, and replays everything', async () => {
    const { client } = makeApp();
    const sessions = client.api.sessions;
    const session = (_id: string) => sessions[':id'];
    const answer = (id: string, text: string) => body(session(id).answer.$post({ param: { id }, header: {}, json: { text } }), 200);
    const s = await body(sessions.$post({ json: { questionIds: ['lp-ownership-2', 'amazon-32', 'amazon-51'], maxFollowUps: 1 } }), 201);
    expect(s).toMatchObject({ status: 'active', provider: 'offline', model: null, questionCount: 3, currentPosition: 0 });
    expect(s.messages.map((m) => m.kind)).toEqual(['opening', 'question']);
    expect(s.messages[0]!.content).toMatch(/3 questions \(1 behavioural, 1 technical, 1 system design\)/);
    expect(s.messages[0]!.content).toMatch(/offline interviewer and grader/);
    expect(s.messages[1]!.content).toBe('Tell me about a time you made a mistake that affected others. What did you do?');
    expect(s.questions[1]!.prompt).toBeNull();
    expect(s.questions.map((q) => q.timeBoxSeconds)).toEqual([300, 300, 1200]);
    const id = s.id;

    // Q1: a weak answer draws a follow-up probe from the STAR rubric
    const a1 = await answer(id, STORY_WEAK);
    expect(a1.messages.map((m) => `${m.role}:${m.kind}`)).toEqual(['candidate:answer', 'interviewer:followup']);
    expect(a1.grades).toEqual([]);

    // ... the follow-up cap (1) is reached: graded, and the next question is asked
    const a2 = await answer(id, STORY_MORE);
    expect(a2.messages.map((m) => m.kind)).toEqual(['answer', 'question']);
    expect(a2.messages[1]!.content).toContain('Explain how DynamoDB achieves high availability and fault tolerance.');
    expect(a2.grades).toHaveLength(1);
    expect(a2.grades[0]!.grade).toMatchObject({ questionId: 'lp-ownership-2', rubricId: 'star', grader: { kind: 'offline' } });

    // Q2: skipped
    const skipped = await body(session(id).skip.$post({ param: { id }, header: {} }), 200);
    expect(skipped.messages.map((m) => `${m.role}:${m.kind}`)).toEqual(['candidate:skip', 'interviewer:question']);

    // Q3 over SSE: follow-up, then the last answer closes the loop
    const sse = await session(id).answer.$post(
      { param: { id }, header: {}, json: { text: 'I would use a trie.' } },
      { headers: { accept: 'text/event-stream' } },
    );
    expect(sse.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseSse(await sse.text());
    expect(events.at(-1)!.event).toBe('done');
    expect(events.find((e) => e.event === 'message')!.data.kind).toBe('followup');

    const last = await answer(id, DESIGN);
    expect(last.messages.map((m) => m.kind)).toEqual(['answer', 'closing']);
    expect(last.session.status).toBe('finished');

    // Replay
    const r = await body(session(id).$get({ param: { id } }), 200);
    expect(r.messages.map((m) => `${m.role}:${m.kind}`)).toEqual([
      'interviewer:opening',
      'interviewer:question',
      'candidate:answer',
      'interviewer:followup',
      'candidate:answer',
      'interviewer:question',
      'candidate:skip',
      'interviewer:question',
      'candidate:answer',
      'interviewer:followup',
      'candidate:answer',
      'interviewer:closing',
    ]);
    expect(r.messages.every((m) => !Number.isNaN(Date.parse(m.createdAt)))).toBe(true);
    expect(r.questions.map((q) => q.state)).toEqual(['graded', 'skipped', 'graded']);
    expect(r.questions.map((q) => q.followUps)).toEqual([1, 0, 1]);
    expect(r.questions[0]!.grade!.score).toBeGreaterThan(0);
    expect(r.questions[1]!.grade).toBeNull();
    expect(r.questions[2]!.grade!.rubricId).toBe('system-design');
    for (const q of r.questions) {
      expect(q.askedAt).toBeTruthy();
      expect(q.referenceAnswer).not.toBeNull();
    }
    expect(r.questions[0]!.answeredAt).toBeTruthy();
    expect(r.questions[1]!.answeredAt).toBeNull();
    expect(r).toMatchObject({ gradedCount: 2, skippedCount: 1 });
    expect(r.debrief).toMatchObject({ questionsAsked: 3, questionsAnswered: 2, questionsSkipped: 1, grader: 'offline grader' });
    expect(r.debrief!.byRubric.map((x) => x.rubricId).sort()).toEqual(['star', 'system-design']);
    expect(r.debrief!.byLeadershipPrinciple.map((x) => x.name)).toContain('Ownership');
    expect(r.debrief!.recommendation.evidence).toHaveLength(2);
    expect(r.debrief!.practiseNext.map((x) => x.topic)).toContain('dynamodb');

    const list = await body(sessions.$get({ query: {} }), 200);
    expect(list.items[0]).toMatchObject({ id, status: 'finished', gradedCount: 2 });
    expect(list.items[0]!.score).toBe(r.score);

    const after = await body(session(id).answer.$post({ param: { id }, header: {}, json: { text: 'one more thing' } }), 409);
    expect(after.error.code).toBe('conflict');
  });
});
