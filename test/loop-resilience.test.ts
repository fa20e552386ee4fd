import { describe, expect, it, vi } from 'vitest';
import { start } from '../src/start.js';
import { body, clientAt, makeApp, sessionsOf, testDatabase } from './helpers/app.js';
import { startServer } from './helpers/browser.js';
import { mock, MODEL_ENV, until } from './helpers/openai-mock.js';
import { decide, gradeReply, say } from './helpers/replies.js';
import { parseSse } from './helpers/sse.js';

describe('nothing is lost when the model fails', () => {
  it('keeps the answer, reports a clear error, and the same turn succeeds on retry', async () => {
    const sessions = sessionsOf(makeApp(MODEL_ENV));
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'] });

    mock.reply({ kind: 'status', status: 500 });
    const failed = await body(sessions.answer(id, 'My carefully typed answer about quorum replication.'), 502);
    expect(failed.error).toMatchObject({ code: 'model_unavailable', message: expect.stringMatching(/server error \(500\)/) });
    const kept = await sessions.get(id);
    expect(kept.messages.at(-1)).toMatchObject({
      role: 'candidate',
      kind: 'answer',
      content: 'My carefully typed answer about quorum replication.',
    });

    // over SSE the failure arrives as an error event
    mock.reply({ kind: 'network' });
    const events = parseSse(await (await sessions.retry(id, { accept: 'text/event-stream' })).text());
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(events[0]!.data).toMatchObject({ code: 'model_connection', retryable: true });

    mock.reply(decide('followup', 'depth'), say('What happens when a node fails?'));
    const retried = await body(sessions.retry(id), 200);
    expect(retried.messages.map((m) => m.kind)).toEqual(['followup']);
    const after = await sessions.get(id);
    expect(after.messages.filter((m) => m.kind === 'answer')).toHaveLength(1);
  });

  it('keeps a grade when the model fails on the words after it: the retry does not grade again', async () => {
    const sessions = sessionsOf(makeApp(MODEL_ENV));
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    mock.reply(gradeReply('technical', 4), { kind: 'status', status: 500 });
    await body(sessions.answer(id, 'Quorum writes across three zones.'), 502);
    const kept = (await sessions.get(id)).questions[0]!;
    expect(kept.state).toBe('graded');
    expect(kept.grade).toMatchObject({ grader: { kind: 'llm' } });
    const before = mock.requests.length;
    mock.reply(say('Next one.'));
    const retried = await body(sessions.retry(id), 200);
    expect(retried.messages.map((m) => m.kind)).toEqual(['question']);
    expect(mock.requests.slice(before).map((r) => (r.stream ? 'stream' : r.response_format?.json_schema?.name))).toEqual(['stream']);
  });

  it('keeps an answer added while a turn is open and answers both together', async () => {
    const sessions = sessionsOf(makeApp(MODEL_ENV));
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'] });
    mock.reply({ kind: 'status', status: 503 });
    await body(sessions.answer(id, 'First part.'), 502);
    mock.reply(decide('next'), gradeReply('technical', 3), say('Next.'));
    await body(sessions.answer(id, 'Second part.'), 200);
    const grading = mock.requests.find((r) => r.response_format?.json_schema?.name === 'grade')!;
    const prompt = grading.messages[1].content as string;
    expect(prompt).toContain('<candidate_turn n="1">\nFirstˆpart.\n</candidate_turn>');
    expect(prompt).toContain('<candidate_turn n="2">\nSecondˆpart.\n</candidate_turn>');
    expect((await sessions.get(id)).questions[0]!.state).toBe('graded');
  });
});

describe('streaming to a client that goes away', () => {
  it('stores the complete message even when the client disconnects mid-stream', async () => {
    const { deps, server, base } = await startServer(MODEL_ENV);
    try {
      const id = (await deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'] })).id;
      const chunks = Array.from({ length: 30 }, (_, i) => `word${i} `);
      mock.reply(decide('followup', 'depth'), say(...chunks));
      const controller = new AbortController();
      const res = await clientAt(base).api.sessions[':id'].answer.$post(
        { param: { id }, header: {}, json: { text: 'It replicates across AZs.' } },
        { init: { signal: controller.signal }, headers: { accept: 'text/event-stream' } },
      );
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain('event: token');
      controller.abort();
      await reader.cancel().catch(() => undefined);

      // The turn runs on after the client has gone: wait for its follow-up to be stored.
      const followUp = await vi.waitFor(
        async () => {
          const message = (await deps.loop.views.get(id)).messages.find((m) => m.kind === 'followup');
          if (!message) throw new Error('no follow-up stored yet');
          return message;
        },
        { timeout: 5000, interval: 10 },
      );
      expect(followUp.content).toBe(chunks.join(''));
    } finally {
      server.close();
    }
  });
});

describe('a restart in the middle of grading', () => {
  it('completes the unfinished grade at the next start', async () => {
    const env = { ...MODEL_ENV, ...testDatabase({ persistent: true }) };
    const before = start(env, { log: () => {} });
    const id = (await before.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 })).id;
    mock.reply({ kind: 'status', status: 500 });
    await expect(before.loop.answer(id, 'Quorum writes across three AZs.')).rejects.toMatchObject({ code: 'model_unavailable' });
    expect((await before.loop.views.get(id)).questions[0]!.state).toBe('grading');
    await before.store.close();

    const after = start(env, { log: () => {} });
    mock.reply(gradeReply('technical', 4, 'Quorum writes across three AZs'), say('Next question.'));
    expect(await after.loop.turns.recover()).toBe(1);
    const s = await after.loop.views.get(id);
    expect(s.questions[0]!.state).toBe('graded');
    expect(s.questions[0]!.grade!.criteria[0]).toMatchObject({ score: 4, evidence: ['Quorum writes across three AZs'] });
    expect(s.questions[1]!.state).toBe('asked');
    expect(s.messages.at(-1)!.content).toContain('What is eventual consistency');
    await after.store.close();
  });
});

describe('answers sent at the same time', () => {
  it('refuses a second answer while the first is still being answered, and stores one', async () => {
    const sessions = sessionsOf(makeApp(MODEL_ENV));
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 1 });
    mock.reply({ kind: 'delay', ms: 300, then: decide('next') }, gradeReply('technical', 3), say('Next.'));
    const first = sessions.answer(id, 'First answer: DynamoDB replicates data.');
    await until(() => mock.requests.length > 0);
    const second = await body(sessions.answer(id, 'Second answer: it also uses quorum writes.'), 409);
    expect(second.error.message).toMatch(/still being answered/);
    expect((await first).status).toBe(200);
    const answers = (await sessions.get(id)).messages.filter((m) => m.kind === 'answer');
    expect(answers.map((m) => m.content)).toEqual(['First answer: DynamoDB replicates data.']);
  });

  it('never applies an answer meant for a question the interview has left', async () => {
    const sessions = sessionsOf(makeApp());
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    const answer = { text: 'It replicates across AZs with quorum writes.', position: 0 };
    await body(sessions.answer(id, answer), 200);
    const again = await body(sessions.answer(id, answer), 409);
    expect(again.error.message).toMatch(/for question 1, but the interview is on question 2 now: it was not saved/);
    const s = await sessions.get(id);
    expect(s.questions[1]!.answeredAt).toBeNull();
    expect(s.messages.filter((m) => m.kind === 'answer')).toHaveLength(1);
  });
});

describe('prompt size', () => {
  it('stays flat: the prompt at question 10 is no larger than at question 2 beyond a small summary', async () => {
    const sessions = sessionsOf(makeApp(MODEL_ENV));
    const ids = [
      'amazon-31',
      'amazon-33',
      'amazon-34',
      'amazon-35',
      'amazon-36',
      'amazon-37',
      'amazon-38',
      'amazon-39',
      'amazon-40',
      'amazon-52',
      'amazon-53',
    ];
    const id = await sessions.start({ questionIds: ids, maxFollowUps: 1 });
    const transitionPrompts: string[] = [];
    for (let i = 0; i < 10; i++) {
      mock.reply(decide('next'), gradeReply('technical', 3), say('Next.'));
      const before = mock.requests.length;
      await body(sessions.answer(id, `Answer number ${i + 1}: ${'replication and caching '.repeat(40)}`), 200);
      transitionPrompts.push(mock.requests[before + 2]!.messages.at(-1).content);
    }
    const size = (i: number) => transitionPrompts[i]!.length - transitionPrompts[i]!.match(/finished answering: "([^"]*)"/)![1]!.length;
    expect(size(9) - size(1)).toBeLessThanOrEqual(20);
    // nothing from earlier questions travels with later turns
    const lastDecide = JSON.stringify(mock.requests.at(-3)!.messages);
    expect(lastDecide).not.toContain('Answer number 1:');
    expect(lastDecide).toContain('Answer number 10:');
  });
});
