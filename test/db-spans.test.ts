import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { makeApp, sessionsOf } from './helpers/app.js';

describe('database spans', () => {
  it("make each transaction of an answer turn a span under its request's, a statement that commits alone included", async () => {
    const exporter = new InMemorySpanExporter();
    const app = makeApp({}, { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    exporter.reset();
    const res = await sessionsOf(app).answer(id, 'Quorum writes across three zones, hinted handoff and Merkle trees.');
    expect(res.status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /api/sessions/:id/answer')!;
    const database = spans.filter((s) => s.name === 'transaction');
    // SQLite runs the offline turn's steps as three transactions; PostgreSQL as four statements, each its own.
    expect(database.length).toBeGreaterThanOrEqual(3);
    for (const span of database) {
      expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(span.attributes['db.system.name']).toBe(app.deps.store.kind === 'postgres' ? 'postgresql' : 'sqlite');
    }
  });
});
