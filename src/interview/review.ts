import { z } from '@hono/zod-openapi';
import { type Card, createEmptyCard, fsrs, Rating } from 'ts-fsrs';
import type { ProgressPoint } from '../db/areas/read-models.js';
import type { BankEntry } from '../bank/schema.js';

/**
 * Spaced repetition of what is weak (FSRS, through ts-fsrs). Each question answered, and each
 * Leadership Principle asked about, is a card; every grade is a review of it at the time it was
 * graded, rated from the score (under 42 Again, under 62 Hard, under 80 Good, else Easy). The
 * cards are replayed from the stored grades whenever they are read, so nothing is stored twice
 * and a deleted session leaves no trace in the schedule.
 */

export const ReviewItem = z
  .object({
    kind: z.enum(['question', 'principle']),
    id: z.string().openapi({ description: 'A question id, or a principle name' }),
    name: z.string(),
    due: z.string(),
    reviews: z.number().int(),
    lastScore: z.number(),
    stability: z.number().openapi({ description: 'Days until recall falls to 90 %' }),
    recall: z.number().openapi({ description: 'The chance of recalling it now, 0..1' }),
  })
  .openapi('ReviewItem');
export type ReviewItem = z.infer<typeof ReviewItem>;

export const ReviewSchedule = z
  .object({
    now: z.string(),
    due: z.array(ReviewItem).openapi({ description: 'Due now, weakest recall first' }),
    upcoming: z.array(ReviewItem).openapi({ description: 'The next ten to come due' }),
    drill: z
      .array(z.string())
      .openapi({ description: 'Question ids for a drill of what is due: start one with POST /api/sessions {questionIds}' }),
  })
  .openapi('ReviewSchedule');
export type ReviewSchedule = z.infer<typeof ReviewSchedule>;

/** The most questions a drill asks. */
export const DRILL_SIZE = 5;

export function ratingFor(score: number): Rating.Again | Rating.Hard | Rating.Good | Rating.Easy {
  if (score < 42) return Rating.Again;
  if (score < 62) return Rating.Hard;
  if (score < 80) return Rating.Good;
  return Rating.Easy;
}

const scheduler = fsrs({ enable_fuzz: false });

export function reviewSchedule(points: ProgressPoint[], find: (id: string) => BankEntry | undefined, now: Date): ReviewSchedule {
  const cards = new Map<string, { kind: ReviewItem['kind']; id: string; name: string; card: Card; reviews: number; lastScore: number }>();
  const review = (key: string, kind: ReviewItem['kind'], id: string, name: string, at: Date, score: number) => {
    const entry = cards.get(key) ?? { kind, id, name, card: createEmptyCard(at), reviews: 0, lastScore: score };
    entry.card = scheduler.next(entry.card, at, ratingFor(score)).card;
    entry.reviews++;
    entry.lastScore = score;
    cards.set(key, entry);
  };
  for (const p of [...points].sort((a, b) => a.gradedAt.localeCompare(b.gradedAt))) {
    const at = new Date(p.gradedAt);
    const q = find(p.questionId);
    review(`q:${p.questionId}`, 'question', p.questionId, q?.prompt ?? p.questionId, at, p.score);
    for (const lp of q?.leadershipPrinciples ?? []) review(`p:${lp}`, 'principle', lp, lp, at, p.score);
  }
  const items: ReviewItem[] = [...cards.values()].map((c) => ({
    kind: c.kind,
    id: c.id,
    name: c.name,
    due: c.card.due.toISOString(),
    reviews: c.reviews,
    lastScore: c.lastScore,
    stability: Math.round(c.card.stability * 100) / 100,
    recall: Math.round(scheduler.get_retrievability(c.card, now, false) * 1000) / 1000,
  }));
  const due = items.filter((i) => Date.parse(i.due) <= now.getTime()).sort((a, b) => a.recall - b.recall);
  const upcoming = items
    .filter((i) => Date.parse(i.due) > now.getTime())
    .sort((a, b) => a.due.localeCompare(b.due))
    .slice(0, 10);
  return { now: now.toISOString(), due, upcoming, drill: drillOf(due, points, find) };
}

/** The due questions, then for each due principle a question on it the candidate answered least well. */
function drillOf(due: ReviewItem[], points: ProgressPoint[], find: (id: string) => BankEntry | undefined): string[] {
  const ids = due.filter((i) => i.kind === 'question').map((i) => i.id);
  for (const p of due.filter((i) => i.kind === 'principle')) {
    const weakest = points
      .filter((x) => (find(x.questionId)?.leadershipPrinciples as string[] | undefined)?.includes(p.id))
      .sort((a, b) => a.score - b.score)[0];
    if (weakest) ids.push(weakest.questionId);
  }
  return [...new Set(ids)].slice(0, DRILL_SIZE);
}
