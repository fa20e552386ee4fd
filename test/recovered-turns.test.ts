import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { makeApp, sessionsOf, testDatabase } from './helpers/app.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { gradeReply, say } from './helpers/replies.js';

const ANSWER = 'Quorum writes across three Availability Zones, so a node failure loses no acknowledged write.';

/**
 * A turn cut off in one process (its grading failed; a crash leaves the same state) and
 * completed by another process on the same database, at its start: what each told its operator.
 */
async function turnCompletedElsewhere() {
  const env = { ...MODEL_ENV, ...testDatabase({ persistent: true }) };
  const spans = new InMemorySpanExporter();
  const before = makeApp(env, { spanProcessors: [new SimpleSpanProcessor(spans)] });
  const id = await sessionsOf(before).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
  mock.reply({ kind: 'status', status: 500 });
  const cut = await sessionsOf(before).answer(id, ANSWER);
  expect(cut.status).toBeGreaterThanOrEqual(500);
  const reqId = cut.headers.get('x-request-id')!;
  const request = spans.getFinishedSpans().find((s) => s.name === 'POST /api/sessions/:id/answer')!;
  await before.deps.store.close();

  const lines: string[] = [];
  const after = makeApp(env, { log: (line) => lines.push(line), spanProcessors: [new SimpleSpanProcessor(spans)] });
  spans.reset();
  mock.reply(gradeReply('technical', 4, 'Quorum writes across three Availability Zones'), say('Next question.'));
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
});
