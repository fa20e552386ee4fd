import { criterionCap, type CriterionGrade, FLAG_ADVICE, type Flag, UNEVIDENCED_CAP } from './grade.js';
import type { Rubric } from './rubrics.js';

/**
 * The feedback card's words, derived from the same judgement as its scores, by one set of rules
 * for both graders: a criterion's comment is chosen by its score band (what the answer does, at
 * 3 and above; what it lacks, at 3 and below), Strengths come only from criteria at 4–5, "To
 * improve" only from criteria at 1–3, and a cap that moves a criterion down says why in place
 * of what the grader would have said at the higher score.
 */

/** A criterion as a grader judged it, before the rules every grade obeys. */
export interface CriterionDraft {
  id: string;
  /** 1..5, fractional inside the offline grader; null for no evidence at all. */
  level: number | null;
  /** Verified quotes from the answer. */
  evidence: string[];
  /** What the answer does for this criterion: said at 3 and above. */
  shows: string;
  /** What it lacks: said at 3 and below. */
  lacks: string;
  /** Why the grader itself held the level down (said whatever the band). */
  held?: string;
}

export type Band = 'high' | 'mid' | 'low';
/** 4–5 high, 3 middle, 1–2 and no evidence low. */
export const bandOf = (score: number | null): Band => (score === null || score <= 2 ? 'low' : score >= 4 ? 'high' : 'mid');

const sentence = (s: string) => {
  const t = s.trim();
  return t && !/[.!?]$/.test(t) ? `${t}.` : t;
};
const join = (parts: string[]) => [...new Set(parts.map(sentence).filter(Boolean))].join(' ');

/** The comment for a criterion at a score: only words of that score's band. */
export function comment(
  draft: Pick<CriterionDraft, 'shows' | 'lacks'>,
  score: number | null,
  levels: Rubric['criteria'][number]['levels'],
) {
  const band = bandOf(score);
  if (band === 'high') return join([draft.shows || (score === 5 ? levels[5] : (levels[4] ?? levels[5]))]);
  // At 3 both are said, once each: a lack that repeats what is shown says it alone.
  if (band === 'mid')
    return join(draft.shows && draft.lacks.startsWith(draft.shows) ? [draft.lacks] : [draft.shows, draft.lacks || levels[3]]);
  return join([draft.lacks || (score === 2 && levels[2] ? levels[2] : levels[1])]);
}

/** What a flag's cap says, in a few words: "the answer does not address the question that was asked". */
const capReason = (flag: Flag) =>
  FLAG_ADVICE[flag]
    .split(/[:;]/)[0]!
    .replace(/\.$/, '')
    .replace(/^\w/, (c) => c.toLowerCase());

/**
 * The rules every grader's criteria obey, whoever scored them: a criterion with no verified quote
 * scores at most UNEVIDENCED_CAP, and a flagged answer's criteria are capped by the flag. The
 * comment is then chosen for the score the criterion ends with. Returns the levels to aggregate
 * (fractions kept) and the criteria to show (whole levels).
 */
export function settleCriteria(drafts: CriterionDraft[], flags: readonly Flag[], rubric: Rubric) {
  const { cap, because } = criterionCap(flags);
  const byId = new Map(rubric.criteria.map((c) => [c.id, c]));
  const settled = drafts.map((d) => {
    let level = d.level;
    const notes: string[] = d.held ? [d.held] : [];
    const evidence = [...new Set(d.evidence)].slice(0, 3);
    if (level !== null && !evidence.length && level > UNEVIDENCED_CAP) {
      level = UNEVIDENCED_CAP;
      notes.push(`No sentence of the answer shows it, so it stays at ${UNEVIDENCED_CAP}`);
    }
    if (level !== null && level > cap) {
      level = cap;
      notes.push(`Capped at ${cap}: ${capReason(because!)}`);
    }
    const score = level === null ? null : Math.round(level);
    const levels = byId.get(d.id)?.levels ?? { 1: '', 3: '', 5: '' };
    return { id: d.id, level, score, evidence, feedback: join([comment(d, score, levels), ...notes]) };
  });
  return {
    levels: settled.map((c) => ({ id: c.id, score: c.level })),
    criteria: settled.map((c): CriterionGrade => ({ id: c.id, score: c.score, evidence: c.evidence, feedback: c.feedback })),
  };
}

/** The criterion whose score the reference's key points decide, per rubric kind. */
export const POINTS_CRITERION: Record<Rubric['kind'], string> = {
  technical: 'correctness',
  system_design: 'architecture',
  star: 'leadership_principles',
  company: 'specificity',
  coding: 'correctness',
};

/**
 * Strengths and "To improve" from the settled criteria: a strength is a criterion at 4–5, an
 * improvement a criterion at 1–3 (the most weighted first, with what a 5 looks like) or a flag;
 * missed key points are worth covering only while the criterion they count for is at 1–3.
 */
export function strengthsAndImprovements(
  rubric: Rubric,
  criteria: CriterionGrade[],
  flags: readonly Flag[],
  missed: string[],
  extra: string[] = [],
  /** Advice after the criteria's: what the level asks beyond a good answer. */
  beyond: string[] = [],
) {
  const byId = new Map(rubric.criteria.map((c) => [c.id, c]));
  const scored = criteria.filter((c) => byId.has(c.id));
  const flagged = flags.some((f) => f !== 'too_short' && f !== 'grader_disagreement');
  const strengths = flagged
    ? []
    : scored
        .filter((c) => bandOf(c.score) === 'high')
        .sort((a, b) => byId.get(b.id)!.weight - byId.get(a.id)!.weight)
        .map((c) => `${byId.get(c.id)!.name}: ${c.feedback}`);
  const pointsOwner = scored.find((c) => c.id === POINTS_CRITERION[rubric.kind]);
  const improvements = [
    ...flags.map((f) => FLAG_ADVICE[f]),
    ...extra,
    ...scored
      .filter((c) => bandOf(c.score) !== 'high')
      .sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || byId.get(b.id)!.weight - byId.get(a.id)!.weight)
      .map((c) => `${byId.get(c.id)!.name}: ${c.feedback} Aim for: ${sentence(byId.get(c.id)!.levels[5])}`),
    ...beyond,
    ...(pointsOwner && bandOf(pointsOwner.score) !== 'high' ? missed.slice(0, 3).map((p) => `Cover this point: ${p}`) : []),
  ];
  return { strengths: strengths.slice(0, 4), improvements: improvements.slice(0, 6) };
}
