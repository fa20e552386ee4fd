import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from '@hono/zod-openapi';
import { parse as parseYaml } from 'yaml';
import { type BankEntry, LEADERSHIP_PRINCIPLES, LeadershipPrinciple } from '../bank/schema.js';
import { AppError, BankError } from '../errors.js';
import { type Level, Level as LevelSchema, rankOf } from '../grading/levels.js';
import { rng, shuffled } from './random.js';
import { type Preference, preferenceFor } from '../tailor/questions.js';

/**
 * A loop as Amazon runs one: a plan of interviews, each with its interviewer, the Leadership
 * Principles they own (each principle owned by one interviewer, so none is asked twice) and at
 * most one technical or design area. From SDE II up the last interview is the Bar Raiser's.
 */

export const Interviewer = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.string(),
    style: z.string().openapi({ description: 'How they interview: what the model interviewer is told to be like' }),
    barRaiser: z.boolean().default(false),
  })
  .strict()
  .openapi('Interviewer');
export type Interviewer = z.infer<typeof Interviewer>;

export const AREAS = ['technical', 'coding', 'system_design'] as const;

export const Interview = z
  .object({
    interviewer: Interviewer,
    principles: z.array(LeadershipPrinciple).openapi({ description: 'The Leadership Principles this interviewer owns in the loop' }),
    area: z.enum(AREAS).nullable().openapi({ description: 'The technical or design area they cover, if any' }),
    positions: z.array(z.number().int()).openapi({ description: "The session's questions this interview asks, by position" }),
  })
  .openapi('Interview');
export type Interview = z.infer<typeof Interview>;

export const LoopPlan = z
  .object({
    level: LevelSchema,
    interviews: z.array(Interview),
  })
  .openapi('LoopPlan');
export type LoopPlan = z.infer<typeof LoopPlan>;

/** The most interviews in a loop: four and the Bar Raiser. */
export const MAX_INTERVIEWS = 5;
/** Leadership Principles each interviewer owns (one question each). */
export const PRINCIPLES_PER_INTERVIEW = 2;

const ROSTER_FILE = fileURLToPath(new URL('./interviewers.yaml', import.meta.url));
let roster: Interviewer[] | undefined;

/** The interviewers (interviewers.yaml), read and checked once: a broken file stops start-up naming the field. */
export function interviewers(): Interviewer[] {
  if (roster) return roster;
  const parsed = z
    .array(Interviewer)
    .min(1)
    .safeParse(parseYaml(readFileSync(ROSTER_FILE, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BankError(`${ROSTER_FILE}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  roster = parsed.data;
  return roster;
}

function person(id: string): Interviewer {
  const found = interviewers().find((i) => i.id === id);
  if (!found) throw new BankError(`${ROSTER_FILE}: no interviewer "${id}", which the loop plan needs`);
  return found;
}

type Slot = { who: string; area: Interview['area'] };

/**
 * Who interviews at each level, most important first: a shorter loop keeps the first ones (and
 * the Bar Raiser). Two coding interviews in every whole loop (a data-structures problem solved in
 * the editor); no design at SDE I; from SDE II a design interview leads; from SDE III two.
 */
const SLOTS: Record<Level, Slot[]> = {
  L4: [
    { who: 'senior-sde', area: 'coding' },
    { who: 'hiring-manager', area: null },
    { who: 'sde', area: 'coding' },
    { who: 'principal', area: 'technical' },
  ],
  L5: [
    { who: 'principal', area: 'system_design' },
    { who: 'senior-sde', area: 'coding' },
    { who: 'hiring-manager', area: null },
    { who: 'sde', area: 'coding' },
  ],
  L6: [
    { who: 'principal', area: 'system_design' },
    { who: 'senior-sde', area: 'system_design' },
    { who: 'sde', area: 'coding' },
    { who: 'hiring-manager', area: null },
  ],
  L7: [
    { who: 'principal', area: 'system_design' },
    { who: 'senior-sde', area: 'system_design' },
    { who: 'sde', area: 'coding' },
    { who: 'hiring-manager', area: null },
  ],
};

/** What the Bar Raiser covers besides the principles: from SDE III, the loop's second coding problem. */
const BAR_RAISER_AREA: Record<Level, Interview['area']> = { L4: null, L5: null, L6: 'coding', L7: 'coding' };

/** The number of interviews of a whole loop at a level: four, and the Bar Raiser from SDE II. */
export const fullLoop = (level: Level) => (level === 'L4' ? 4 : 5);

/** A design prompt of wide scope: global, millions of users, a stated peak load. */
const WIDE_SCOPE = /\b(global(ly)?|millions?|worldwide|multi[\s-]region|\d+\s?k\s?QPS|QPS)\b/i;

export interface PlanRequest {
  bank: readonly BankEntry[];
  level: Level;
  interviews: number;
  seed: string;
  topics?: string[];
  recent?: Set<string>;
  /** What the job stresses (tailoring): its principles are owned first, and questions on its topics and principles are picked first. */
  prefer?: Preference;
  /** Questions made from the résumé: asked by the hiring manager (else the first interviewer), after their principles. */
  extra?: BankEntry[];
}

/** A preference in quarter steps: questions about equally on the job stay in seeded random order. */
const stepOf = (p: number) => Math.round(p * 4) / 4;

/**
 * Plans a loop of `interviews` interviews at a level, and the questions it asks in order: in each
 * interview one question for each principle its interviewer owns (from questions whose principles
 * nobody else owns), then its area's question. Seeded: the same seed plans the same loop.
 */
export function planLoop(req: PlanRequest): { plan: LoopPlan; questions: BankEntry[] } {
  const { level } = req;
  if (!Number.isInteger(req.interviews) || req.interviews < 1 || req.interviews > fullLoop(level)) {
    throw new AppError('bad_request', `interviews must be 1 to ${fullLoop(level)} for ${level}`);
  }
  const random = rng(`${req.seed}:loop`);
  const withBarRaiser = level !== 'L4' && req.interviews >= 2;
  const slots: Slot[] = [...SLOTS[level].slice(0, withBarRaiser ? req.interviews - 1 : req.interviews)];
  if (withBarRaiser) slots.push({ who: 'bar-raiser', area: BAR_RAISER_AREA[level] });

  const weight = (p: LeadershipPrinciple) => req.prefer?.principles.get(p) ?? 0;
  // The principles the job stresses first, most stressed first; the rest in seeded random order.
  const principles = shuffled([...LEADERSHIP_PRINCIPLES], random)
    .map((p, i) => ({ p, i }))
    .sort((a, b) => weight(b.p) - weight(a.p) || a.i - b.i)
    .map((x) => x.p);
  const owned = slots.map((_, i) => principles.slice(i * PRINCIPLES_PER_INTERVIEW, (i + 1) * PRINCIPLES_PER_INTERVIEW));
  const ownerOf = new Map(owned.flatMap((ps, i) => ps.map((p) => [p, i] as const)));
  const recent = req.recent ?? new Set<string>();
  const topics = new Set(req.topics ?? []);
  const used = new Set<string>();
  const rank = (e: BankEntry) => (recent.has(e.id) ? 1 : 0) + (topics.size && !e.topics.some((t) => topics.has(t)) ? 2 : 0);
  const pick = (pool: BankEntry[], what: string, first: (e: BankEntry) => number = () => 0): BankEntry => {
    const ordered = shuffled(
      pool.filter((e) => !used.has(e.id)),
      random,
    )
      .map((e, i) => ({ e, i }))
      .sort(
        (a, b) =>
          first(a.e) - first(b.e) ||
          stepOf(preferenceFor(req.prefer, b.e)) - stepOf(preferenceFor(req.prefer, a.e)) ||
          rank(a.e) - rank(b.e) ||
          a.i - b.i,
      );
    const chosen = ordered[0]?.e;
    if (!chosen) throw new AppError('bad_request', `The question bank has no ${what} question left for this loop`);
    used.add(chosen.id);
    return chosen;
  };

  const questions: BankEntry[] = [];
  const extraAt = Math.max(
    0,
    slots.findIndex((s) => s.who === 'hiring-manager'),
  );
  const interviewsPlanned: Interview[] = slots.map((slot, i) => {
    const positions: number[] = [];
    const ask = (q: BankEntry) => {
      positions.push(questions.length);
      questions.push(q);
    };
    for (const principle of owned[i]!) {
      const pool = req.bank.filter(
        (e) =>
          e.category === 'behavioral' &&
          e.leadershipPrinciples.includes(principle) &&
          e.leadershipPrinciples.every((p) => ownerOf.get(p) === i),
      );
      ask(pick(pool, `${principle}`));
    }
    if (i === extraAt) for (const q of req.extra ?? []) ask(q);
    if (slot.area) {
      const pool = req.bank.filter((e) => e.category === slot.area);
      const wide = (e: BankEntry) => (slot.area === 'system_design' && rankOf(level) >= 6 && !WIDE_SCOPE.test(e.prompt) ? 1 : 0);
      ask(pick(pool, slot.area.replace('_', ' '), wide));
    }
    return { interviewer: person(slot.who), principles: owned[i]!, area: slot.area, positions };
  });
  return { plan: { level, interviews: interviewsPlanned }, questions };
}

/** The interview a question of the session belongs to (its index in the plan), or undefined outside a loop. */
export function interviewAt(plan: LoopPlan | null | undefined, position: number): number | undefined {
  const i = plan?.interviews.findIndex((x) => x.positions.includes(position)) ?? -1;
  return i >= 0 ? i : undefined;
}

/** The name of the interviewer who asks the question at `position`, or null outside a loop. */
export function interviewerAt(plan: LoopPlan | null | undefined, position: number): string | null {
  const i = interviewAt(plan, position);
  return i === undefined ? null : plan!.interviews[i]!.interviewer.name;
}
