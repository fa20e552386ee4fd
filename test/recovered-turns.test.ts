import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { makeApp, onDatabase, sessionsOf, testDatabase } from './helpers/app.js';
import { mock, MODEL_ENV, until } from './helpers/openai-mock.js';
import { gradeReply, say } from './helpers/replies.js';

const ANSWER = 'Quorum writes across three Availability Zones, so a node failure loses no acknowledged write.';

/**
 * A turn cut off in one process mid-grading, as by a crash (the process stops reaching the
 * database: its claim is no longer renewed and lapses), and completed by another process on the
 * same database: what each told its operator.
 */
async function turnCompletedElsewhere() {
  const env = { ...MODEL_ENV, ...testDatabase({ persistent: true }), TURN_LEASE_MS: '500' };
  const spans = new InMemorySpanExporter();
  const before = makeApp(env, { spanProcessors: [new SimpleSpanProcessor(spans)] });
  const id = await sessionsOf(before).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
  // A turn before it, completed: the cut one must not be taken for it.
  mock.reply(gradeReply('technical', 4, 'Quorum writes'), say('Next question.'));
  expect((await sessionsOf(before).answer(id, ANSWER)).status).toBe(200);
  mock.reply({ kind: 'delay', ms: 2500, then: { kind: 'status', status: 500 } });
  const cutting = sessionsOf(before).answer(id, ANSWER);
  await until(() => mock.requests.length === 3);
  await before.deps.store.close();
  const cut = await cutting;
  expect(cut.status).toBeGreaterThanOrEqual(500);
  const reqId = cut.headers.get('x-request-id')!;
  const request = spans.getFinishedSpans().filter((s) => s.name === 'POST /api/sessions/:id/answer')[1]!;
  // The claim lapses: nothing renews it now.
  await new Promise((r) => setTimeout(r, 700));

  const lines: string[] = [];
  const after = makeApp(env, { log: (line) => lines.push(line), spanProcessors: [new SimpleSpanProcessor(spans)] });
  spans.reset();
  mock.reply(gradeReply('technical', 4, 'Quorum writes across three Availability Zones'), say('That was the last one.'));
  expect(await after.deps.loop.turns.recover()).toBe(1);
  await after.deps.store.close();
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { reqId, request, logged, spans: spans.getFinishedSpans() };
}

describe('a turn completed by another process', () => {
  it('is logged under the id of the request it was for: the recovery, the turn and its model calls', async () => {
    const { reqId, logged } = await turnCompletedElsewhere();
    const events = logged.filter((l) => ['turn_recovered', 'turn', 'model_call'].includes(l.event as string));
    expect(events.map((l) => l.event)).toEqual(['model_call', 'model_call', 'turn', 'turn_recovered']);
    for (const line of events) expect(line.reqId, JSON.stringify(line)).toBe(reqId);
  });

  it('is a span in the trace of the request it was for, with its model calls under it', async () => {
    const { request, spans } = await turnCompletedElsewhere();
    const recovered = spans.find((s) => s.name === 'turn recovered')!;
    expect(recovered.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(recovered.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    const calls = spans.filter((s) => s.name.startsWith('chat '));
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.parentSpanContext?.spanId).toBe(recovered.spanContext().spanId);
  });

  it('is never taken for the turn before it: a turn that ended leaves no request on its session for a later claim to inherit', async () => {
    // A claim taken by a version that keeps no request (an older replica in a rolling deploy) would find it.
    const env = testDatabase({ persistent: true });
    const app = makeApp(env);
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    expect((await sessionsOf(app).answer(id, ANSWER)).status).toBe(200);
    await app.deps.store.close();
    const rows = await onDatabase(env, [`select turn_request_id, turn_trace_parent from sessions where id = '${id}'`]);
    expect(rows).toEqual([{ turn_request_id: null, turn_trace_parent: null }]);
  });
});
