import { describe, expect, it } from 'vitest';
import { readBankDir } from '../src/bank/load.js';
import type { ProgressPoint } from '../src/db/areas/read-models.js';
import { ratingFor, reviewSchedule } from '../src/interview/review.js';
import { makeApp, testClock } from './helpers/app.js';

const bank = new Map(readBankDir().map((e) => [e.id, e]));
const find = (id: string) => bank.get(id);
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');

const point = (questionId: string, score: number, day: number): ProgressPoint => ({
  sessionId: `s${day}`,
  sessionCreatedAt: new Date(T0 + day * DAY).toISOString(),
  gradedAt: new Date(T0 + day * DAY).toISOString(),
  questionId,
  category: bank.get(questionId)!.category,
  rubricId: bank.get(questionId)!.rubric,
  score,
  level: 'L5',
  bar: null,
});

describe('spaced repetition of what is weak (FSRS)', () => {
  it('rates a grade from its score', () => {
    expect([20, 41.9, 42, 61.9, 62, 79.9, 80, 100].map(ratingFor)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('brings a failed answer back sooner than a strong one, and waits longer after each good review', () => {
    const weak = reviewSchedule([point('amazon-32', 30, 0)], find, new Date(T0 + 2 * DAY));
    const strong = reviewSchedule([point('amazon-31', 90, 0)], find, new Date(T0 + 2 * DAY));
    expect(weak.due.map((i) => i.id)).toEqual(['amazon-32']);
    expect(strong.due).toEqual([]);
    expect(Date.parse(strong.upcoming[0]!.due)).toBeGreaterThan(T0 + 2 * DAY);
    const once = reviewSchedule([point('amazon-32', 70, 0)], find, new Date(T0)).upcoming[0]!;
    const twice = reviewSchedule([point('amazon-32', 70, 0), point('amazon-32', 70, 10)], find, new Date(T0 + 10 * DAY)).upcoming[0]!;
    expect(twice.stability).toBeGreaterThan(once.stability);
    expect(twice.reviews).toBe(2);
  });

  it('schedules the principles a question asks about, and drills the weakest answer on a due principle', () => {
    const s = reviewSchedule([point('lp-ownership-1', 35, 0), point('lp-ownership-2', 50, 0)], find, new Date(T0 + 3 * DAY));
    expect(s.due.find((i) => i.kind === 'principle')).toMatchObject({ id: 'Ownership', reviews: 2 });
    expect(s.drill[0]).toBe('lp-ownership-1');
    expect(new Set(s.drill).size).toBe(s.drill.length);
  });
});

describe('GET /api/review', () => {
  it('shows a weak answer as due once its day has come, and its drill starts as a session', async () => {
    const clock = testClock(T0);
    const { post, json } = makeApp({}, { now: clock.now });
    const s = await post('/api/sessions', { questionIds: ['amazon-32'], maxFollowUps: 0, seed: 1 });
    await post(`/api/sessions/${s.body.id}/answer`, { text: "I don't know." });
    expect((await json('/api/review')).body.due.map((i: { id: string }) => i.id)).toEqual([]);
    clock.advance(2 * DAY);
    const review = (await json('/api/review')).body;
    expect(review.due.map((i: { id: string }) => i.id)).toEqual(['amazon-32']);
    expect(review.drill).toEqual(['amazon-32']);
    const drill = await post('/api/sessions', { questionIds: review.drill });
    expect(drill.status).toBe(201);
  });
});
