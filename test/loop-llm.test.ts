import { describe, expect, it } from 'vitest';
import { body, type Client, makeApp } from './helpers/app.js';
import { completion, mock, MODEL_ENV } from './helpers/openai-mock.js';
import { decide, gradeReply, say } from './helpers/replies.js';
import { parseSse } from './helpers/sse.js';

const sseAnswer = (client: Client, id: string, text: string) =>
  client.api.sessions[':id'].answer
    .$post({ param: { id }, header: {}, json: { text } }, { headers: { accept: 'text/event-stream' } })
    .then(async (r) => parseSse(await r.text()));

describe('a full loop with a model (mocked with msw)', () => {
  it('follows up where the model decides, enforces the cap, grades, streams, debriefs and replays', async () => {
    const { client } = makeApp(MODEL_ENV);
    const session = client.api.sessions[':id'];
    const s = await body(
      client.api.sessions.$post({ json: { questionIds: ['lp-ownership-2', 'amazon-32', 'amazon-51'], maxFollowUps: 1 } }),
      201,
    );
    expect(s).toMatchObject({ provider: 'openai', model: 'gpt-test' });
    expect(s.messages[0]!.content).toMatch(/graded by gpt-test/);
    const id = s.id;

    // Q1: the model asks for the result
    mock.reply(decide('followup', 'result'), say('How did ', 'it turn out', ', in numbers?'));
    const e1 = await sseAnswer(client, id, 'We had an outage once and I fixed it.');
    expect(e1.map((e) => e.event)).toEqual(['token', 'token', 'token', 'message', 'done']);
    expect(
      e1
        .filter((e) => e.event === 'token')
        .map((e) => e.data.text)
        .join(''),
    ).toBe(e1[3]!.data.content);
    expect(e1[3]!.data).toMatchObject({
      kind: 'followup',
      content: 'How did it turn out, in numbers?',
      usage: { promptTokens: 700, completionTokens: 35 },
    });
    const decideRequest = mock.requests[0]!;
    expect(decideRequest.response_format.json_schema.name).toBe('decision');
    expect(decideRequest.messages[1].content).toContain('Follow-ups used on this question: 0 of 1.');
    expect(mock.requests[1]!.stream).toBe(true);

    // ... cap reached: no decision is asked for; graded, then the next question
    mock.reply(gradeReply('star', 3, 'I fixed it'), say("Thanks, let's move on."));
    const e2 = await sseAnswer(client, id, 'Checkout failures dropped from 3% to 0.1% and I fixed it.');
    expect(e2.map((e) => e.event)).toEqual(['grade', 'token', 'token', 'token', 'message', 'done']);
    expect(e2[0]!.data.grade).toMatchObject({ questionId: 'lp-ownership-2', grader: { kind: 'llm', model: 'gpt-test' }, overall: 3 });
    const question2 = e2.find((e) => e.event === 'message')!.data;
    expect(question2.kind).toBe('question');
    expect(question2.content).toBe("Thanks, let's move on.\n\nExplain how DynamoDB achieves high availability and fault tolerance.");
    expect(
      e2
        .filter((e) => e.event === 'token')
        .map((e) => e.data.text)
        .join(''),
    ).toBe(question2.content);
    expect(mock.requests.slice(2).map((r) => (r.stream ? 'stream' : r.response_format.json_schema.name))).toEqual(['grade', 'stream']);

    // Q2 skipped
    mock.reply(say('No problem, next one.'));
    const skipped = await body(session.skip.$post({ param: { id }, header: {} }), 200);
    expect(skipped.messages.map((m) => m.kind)).toEqual(['skip', 'question']);

    // Q3: the model moves on straight away; the last answer closes the loop
    mock.reply(
      decide('next'),
      gradeReply('system-design', 5, 'Trie in memory on ECS behind an NLB'),
      say('Thank you, that was the last question.'),
    );
    const last = await body(
      session.answer.$post({
        param: { id },
        header: {},
        json: { text: 'Requirements: 80k QPS, p99 < 50 ms. Trie in memory on ECS behind an NLB.' },
      }),
      200,
    );
    expect(last.messages.map((m) => m.kind)).toEqual(['answer', 'closing']);
    expect(last.session.status).toBe('finished');

    const r = await body(session.$get({ param: { id } }), 200);
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
      'interviewer:closing',
    ]);
    expect(r.questions.map((q) => q.state)).toEqual(['graded', 'skipped', 'graded']);
    expect(r.questions[0]!.grade!.criteria[0]!.evidence).toEqual(['I fixed it']);
    expect(r.debrief!.byRubric.map((x) => [x.rubricId, x.score])).toEqual([
      ['star', 50],
      // the model said 5 everywhere, but our too-short guard caps a two-line design at 50
      ['system-design', 50],
    ]);
    expect(r.debrief!.grader).toBe('llm grader (gpt-test)');
    // every token the model reported is stored and summed per session
    expect(r.tokens).toEqual({
      prompt: 400 + 300 + 900 + 300 + 300 + 400 + 900 + 300,
      completion: 20 + 15 + 200 + 15 + 15 + 20 + 200 + 15,
    });
    expect(r.questions[0]!.gradeUsage).toEqual({ promptTokens: 900, completionTokens: 200 });
  });

  it("asks the model to anchor a follow-up on the candidate's own words", async () => {
    const { post } = makeApp(MODEL_ENV);
    const id = (await post('/api/sessions', { questionIds: ['lp-ownership-1', 'amazon-31'], maxFollowUps: 1 })).body.id;
    mock.reply(decide('followup', 'action'), say('You said "we migrated the database": what did you do?'));
    await post(`/api/sessions/${id}/answer`, { text: 'We migrated the database over two weekends.' });
    const prompt = mock.requests[1]!.messages.at(-1).content as string;
    expect(prompt).toContain('We migrated the database over two weekends.');
    expect(prompt).toMatch(/quote a few of their own words in quotation marks/);
  });

  it('never shows the model the reference answer when it writes to the candidate', async () => {
    const { client } = makeApp(MODEL_ENV);
    const { id } = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 } }), 201);
    mock.reply(decide('followup', 'depth'), say('Why?'));
    await body(client.api.sessions[':id'].answer.$post({ param: { id }, header: {}, json: { text: 'It replicates.' } }), 200);
    const followUpPrompt = JSON.stringify(mock.requests[1]!.messages);
    expect(followUpPrompt).not.toContain('hinted handoff');
    expect(JSON.stringify(mock.requests[0]!.messages)).toContain('hinted handoff');
  });

  it('rejects a decision that names a criterion the rubric does not have, then recovers on retry', async () => {
    const { client } = makeApp(MODEL_ENV);
    const { id } = await body(client.api.sessions.$post({ json: { questionIds: ['amazon-32', 'amazon-31'] } }), 201);
    mock.reply(decide('followup', 'charisma'), decide('followup', 'charisma'));
    const failed = await body(
      client.api.sessions[':id'].answer.$post({ param: { id }, header: {}, json: { text: 'It replicates across AZs.' } }),
      502,
    );
    expect(failed.error.code).toBe('model_invalid_output');
    const schema = mock.requests[0]!.response_format.json_schema.schema;
    // a criterion of the rubric, or a bar dimension of the level
    expect(schema.properties.criterionId.anyOf[0].enum).toEqual([
      'correctness',
      'depth',
      'specifics',
      'tradeoffs',
      'clarity',
      'bar.depth',
      'bar.tradeoffs',
      'bar.operations',
    ]);
    expect(mock.requests[1]!.messages.at(-1).content).toMatch(/criterionId: .*"correctness"\|"depth"/);
  });
});

describe('a loop with a model', () => {
  const STORY =
    'In my last job I owned the billing service. I found that failed invoices came from a retry bug, I fixed the retry logic myself, ' +
    'added an alarm and a runbook, and failed invoices fell from 300 a week to 5 within a month.';

  it('gives each interviewer the persona and the level, and has the model word the written feedback while the votes stay ours', async () => {
    const { client } = makeApp(MODEL_ENV);
    const s = await body(client.api.sessions.$post({ json: { interviews: 2, level: 'L6', maxFollowUps: 0, seed: 'model-loop' } }), 201);
    const id = s.id;
    for (const [i, q] of s.questions.entries()) {
      mock.reply(gradeReply(q.rubricId, 4, 'I fixed the retry logic myself'), say('Thank you.'));
      if (i === s.questions.length - 1) {
        mock.reply(
          completion(
            JSON.stringify({
              summaries: [
                'Elena saw clear ownership of the billing fix, but the design lacked scale.',
                'Hannah would be Strongly Inclined: great stories.',
              ],
            }),
          ),
          completion(JSON.stringify({ summaries: ['Elena saw clear ownership of the billing fix.', 'Hannah wanted more scope.'] })),
        );
      }
      const res = await client.api.sessions[':id'].answer.$post({ param: { id }, header: {}, json: { text: STORY } });
      expect(res.status).toBe(200);
    }
    // the persona and the level went to the interviewer
    const transition = mock.requests.find((r) => r.stream && JSON.stringify(r.messages).includes('Hannah Lee'))!;
    expect(transition.messages[0].content).toMatch(/In this loop you are Hannah Lee, Bar Raiser.*You are the Bar Raiser/s);
    expect(transition.messages[0].content).toMatch(/interviewing for SDE III \(L6\)/);
    // the first wording named a vote that is not Hannah's, and was sent back
    const phrase = mock.requests.filter((r) => r.response_format?.json_schema?.name === 'written_feedback');
    expect(phrase).toHaveLength(2);
    expect(phrase[1]!.messages.at(-1).content).toMatch(/summaries\[1\] names a vote other than/);
    const done = await body(client.api.sessions[':id'].$get({ param: { id } }), 200);
    const meeting = done.debrief!.meeting!;
    const votes = meeting.feedback.map((f) => f.vote);
    expect(meeting.feedback.map((f) => f.summary)).toEqual([
      `${label(votes[0]!)}. Elena saw clear ownership of the billing fix.`,
      `${label(votes[1]!)}. Hannah wanted more scope.`,
    ]);
    // what the page shows after the loop is the meeting's wording
    expect(done.feedback).toEqual(meeting.feedback);
  });
});

describe('a loop whose model cannot word the feedback', () => {
  it('still ends, with the votes in our own words', async () => {
    const log: string[] = [];
    const { client } = makeApp(MODEL_ENV, { log: (line) => log.push(line) });
    const s = await body(client.api.sessions.$post({ json: { interviews: 1, maxFollowUps: 0, seed: 'no-words' } }), 201);
    for (const [i, q] of s.questions.entries()) {
      mock.reply(gradeReply(q.rubricId, 4), say('Thank you.'));
      if (i === s.questions.length - 1) mock.reply(completion('not json'), completion('{"summaries": 3}'));
      expect(
        (await client.api.sessions[':id'].answer.$post({ param: { id: s.id }, header: {}, json: { text: 'An answer.' } })).status,
      ).toBe(200);
    }
    const done = await body(client.api.sessions[':id'].$get({ param: { id: s.id } }), 200);
    expect(done.status).toBe('finished');
    expect(done.debrief!.meeting!.feedback[0]!.summary).toMatch(/^(Strongly )?(Not )?Inclined for SDE II\. /);
    expect(log.join('\n')).toMatch(/feedback_wording_failed/);
  });
});

const label = (v: string) => v.replace(/(^|_)(\w)/g, (_, s: string, c: string) => `${s ? ' ' : ''}${c.toUpperCase()}`);
