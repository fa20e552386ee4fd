// @ts-check
// What the transcript shows, in order, and where each feedback card goes: after the last message
// of the question it grades, so before the interviewer moves on; a marker heads each question.
import { feedbackCard } from '../feedback.js';
import { voteCard } from '../views/meeting.js';
import { h, label } from '../dom.js';
import { runsHistory } from './runs.js';
import { messageEl } from './transcript.js';

/** @typedef {import('../api.js').Session} Session */
/** @typedef {import('../api.js').SessionQuestion} SessionQuestion */
/** @typedef {import('./transcript.js').Entry} Entry */

/**
 * @param {Session} s
 * @param {Map<string, import('../api.js').Rubric>} rubrics
 * @returns {Entry[]}
 */
export function timeline(s, rubrics) {
  const byQuestion = new Map(s.questions.map((q) => [q.id, q]));
  /** @type {Map<number, number>} each question's last message, by index */
  const lastOf = new Map();
  s.messages.forEach((m, i) => m.sessionQuestionId !== null && lastOf.set(m.sessionQuestionId, i));
  /** @type {Entry[]} */
  const entries = [];
  /** @param {SessionQuestion} q */
  const card = (q) => {
    const spoken = spokenOf(s, q);
    entries.push({
      key: `feedback:${q.id}`,
      sig: JSON.stringify([q.grade, q.referenceAnswer, q.signals, spoken]),
      render: () => feedbackCard(q, rubrics.get(q.rubricId), spoken),
    });
  };
  s.messages.forEach((m, i) => {
    const q = m.sessionQuestionId === null ? undefined : byQuestion.get(m.sessionQuestionId);
    // feedback goes before the interviewer message that moves on from the graded question
    if (m.kind === 'question' || m.kind === 'closing') {
      const prev = s.questions.find((x) => x.grade && lastOf.get(x.id) === i - 1);
      if (prev) card(prev);
    }
    if (m.kind === 'question' && q) {
      const text = `Question ${q.position + 1} of ${s.questionCount} · ${label(q.category)} · time box ${Math.round(q.timeBoxSeconds / 60)} min`;
      entries.push({ key: `marker:${q.id}`, sig: text, render: () => h('p.q-marker', { text }) });
    }
    entries.push({
      key: `message:${m.id}`,
      sig: JSON.stringify([m.role, m.kind, m.content, m.createdAt, m.spoken ?? null]),
      render: () => messageEl(m),
      message: m,
    });
  });
  const lastGraded = s.questions.find((x) => x.grade && lastOf.get(x.id) === s.messages.length - 1);
  if (lastGraded) card(lastGraded);
  return withVotes(s, withRuns(s, entries));
}

/**
 * A coding question's runs, each with its code (folded) and results, after its last message: in
 * the replay, and for the questions done with while the session runs (the current one has its editor).
 * @param {Session} s
 * @param {Entry[]} entries
 */
function withRuns(s, entries) {
  for (const q of s.questions) {
    const runs = q.coding?.runs ?? [];
    if (!runs.length || (s.status !== 'finished' && q.position === s.currentPosition)) continue;
    let at = -1;
    entries.forEach((e, i) => e.message?.sessionQuestionId === q.id && (at = i));
    const entry = { key: `runs:${q.id}`, sig: JSON.stringify(runs.map((r) => [r.number, r.at])), render: () => runsHistory(runs) };
    if (at >= 0) entries.splice(at + 1, 0, entry);
    else entries.push(entry);
  }
  return entries;
}

/**
 * In a loop, each interviewer's written vote after the feedback on their interview's last question.
 * @param {Session} s
 * @param {Entry[]} entries
 */
function withVotes(s, entries) {
  for (const f of s.feedback) {
    const last = s.plan?.interviews[f.interview]?.positions.at(-1);
    const q = s.questions.find((x) => x.position === last);
    // after its last question's card, or (a skipped question has none) after its last message
    let at = q ? entries.findIndex((e) => e.key === `feedback:${q.id}`) : -1;
    if (at < 0 && q) entries.forEach((e, i) => e.message?.sessionQuestionId === q.id && (at = i));
    const vote = { key: `vote:${f.interview}`, sig: JSON.stringify(f), render: () => voteCard(f) };
    if (at >= 0) entries.splice(at + 1, 0, vote);
  }
  return entries;
}

/**
 * The spoken answers to a question, for its feedback card.
 * @param {Session} s
 * @param {SessionQuestion} q
 */
function spokenOf(s, q) {
  return s.messages.flatMap((m) => (m.sessionQuestionId === q.id && m.spoken ? [m.spoken] : []));
}
