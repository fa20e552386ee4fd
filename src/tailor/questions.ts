import type { BankEntry, LeadershipPrinciple, Topic } from '../bank/schema.js';
import type { ResumeItem, Tailoring } from './schema.js';

/**
 * The questions tailoring adds and how it weights the others. A question made from the résumé is
 * stored against one generic bank entry (RESUME_ENTRY: sessions' questions refer to the bank), and
 * the session keeps its personal wording and the résumé's claims in the question's snapshot.
 */

export const RESUME_SOURCE = 'resume';

/** The generic résumé question, in the questions table with the bank (never drawn by a loop itself). */
export const RESUME_ENTRY: BankEntry = {
  id: 'resume-project',
  number: null,
  prompt: 'Walk me through a project on your résumé: what was it for, what did you personally do, and how did it turn out?',
  referenceAnswer: '',
  category: 'behavioral',
  rubric: 'star',
  topics: [],
  leadershipPrinciples: [],
  signals: [],
  pitfalls: [],
  source: RESUME_SOURCE,
};

/** At most this many words of a claim in the question itself. */
const CLAIM_WORDS = 16;
const short = (claim: string) => {
  const w = claim.replace(/[.;]+$/, '').split(/\s+/);
  return w.length > CLAIM_WORDS ? `${w.slice(0, CLAIM_WORDS).join(' ')}…` : w.join(' ');
};

/** "Walk me through <project> on your résumé", for one of its items; the snapshot carries its claims for the follow-ups. */
export function resumeQuestion(item: ResumeItem): BankEntry {
  const prompt =
    item.section === 'projects'
      ? `Walk me through ${item.name} on your résumé: what was it for, what did you personally build, and how did it turn out?`
      : `Walk me through your work at ${item.name} on your résumé, where you say "${short(item.claims[0]!)}": what was the problem, what did you personally do, and what came of it?`;
  return { ...RESUME_ENTRY, prompt, resume: { name: item.name, section: item.section, claims: item.claims } };
}

/** What the plan prefers, from a tailoring: each principle's and topic's weight. */
export interface Preference {
  principles: Map<LeadershipPrinciple, number>;
  topics: Map<Topic, number>;
}

export function preferenceOf(t: Tailoring | undefined): Preference | undefined {
  if (!t || (!t.principles.length && !t.topics.length)) return undefined;
  return { principles: new Map(t.principles.map((p) => [p.id, p.weight])), topics: new Map(t.topics.map((x) => [x.id, x.weight])) };
}

/** How much a question is on what the job stresses: its best-weighted topic and principle, 0–2. */
export function preferenceFor(p: Preference | undefined, e: BankEntry): number {
  if (!p) return 0;
  const best = (ws: number[]) => Math.max(0, ...ws);
  return best(e.topics.map((t) => p.topics.get(t) ?? 0)) + best(e.leadershipPrinciples.map((l) => p.principles.get(l) ?? 0));
}
