// @ts-check
// A loop's written feedback and its debrief meeting: each interviewer's vote with the principles
// they rated and their concerns, the votes side by side, the Bar Raiser, and the decision at the level.
import { h } from '../dom.js';

/** @typedef {import('../api.js').Debrief} Debrief */
/** @typedef {NonNullable<Debrief['meeting']>} Meeting */
/** @typedef {Meeting['feedback'][number]} Feedback */

/** The vote words Amazon interviewers use. */
export const VOTE_TEXT = {
  strongly_inclined: 'Strongly Inclined',
  inclined: 'Inclined',
  not_inclined: 'Not Inclined',
  strongly_not_inclined: 'Strongly Not Inclined',
};
const DECISION_TEXT = {
  hire: 'Hire',
  hire_one_level_down: 'Hire one level down',
  no_hire: 'No hire',
  insufficient_evidence: 'Insufficient evidence',
};

/**
 * One interviewer's written feedback, shown when their interview is over.
 * @param {Feedback} f
 */
export function voteCard(f) {
  return h(
    'section.vote-card',
    { 'aria-label': `${f.interviewer.name}'s feedback`, dataset: { testid: 'vote-card', vote: f.vote } },
    h(
      'header.feedback-head',
      {},
      h('strong', { text: f.interviewer.name }),
      h('span.muted', { text: ` ${f.interviewer.role}` }),
      h('span.vote.vote-' + f.vote, { text: VOTE_TEXT[f.vote] }),
    ),
    h('p', { text: f.summary }),
    f.principles.length
      ? h(
          'ul.principles',
          {},
          f.principles.map((p) =>
            h(
              'li',
              {},
              h('strong', { text: p.name }),
              ` — ${p.rating === null ? 'not answered' : `${p.rating}/5`}`,
              p.evidence.map((q) => h('blockquote.evidence', { text: q })),
            ),
          ),
        )
      : null,
    f.concerns.length
      ? h(
          'div.improvements',
          {},
          h('h4', { text: 'Concerns' }),
          h(
            'ul',
            {},
            f.concerns.map((c) => h('li', { text: c })),
          ),
        )
      : null,
  );
}

/**
 * The debrief meeting: the decision first, then the votes side by side and the Bar Raiser.
 * @param {Meeting} m
 */
export function meetingView(m) {
  const d = m.decision;
  return h(
    'section.meeting',
    { 'aria-labelledby': 'meeting-title', dataset: { testid: 'meeting' } },
    h('h2', { id: 'meeting-title', text: 'Debrief meeting' }),
    h(
      'p.recommendation',
      {},
      h('span.verdict.d-' + d.outcome, {
        text: `${DECISION_TEXT[d.outcome]}${d.level ? ` at ${d.level}` : ''}`,
        dataset: { testid: 'decision' },
      }),
      ' ',
      d.summary,
    ),
    d.decidedBy.length
      ? h(
          'div.decided',
          {},
          h('h3', { text: 'What decided it' }),
          h(
            'ul',
            {},
            d.decidedBy.map((x) => h('li', {}, h('q', { text: x.prompt }), ` — ${x.why}`)),
          ),
        )
      : null,
    d.wouldChange ? h('p.would-change', { text: `What would change it: ${d.wouldChange}` }) : null,
    h(
      'table.votes',
      {},
      h('caption', { text: 'The votes, side by side' }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Interviewer' }),
          h('th', { scope: 'col', text: 'Owned' }),
          h('th', { scope: 'col', text: 'Vote' }),
        ),
      ),
      h(
        'tbody',
        {},
        m.feedback.map((f) =>
          h(
            'tr',
            { dataset: { testid: 'vote-row' } },
            h('th', { scope: 'row', text: `${f.interviewer.name}${f.interviewer.barRaiser ? ' (Bar Raiser)' : ''}` }),
            h('td', { text: f.principles.map((p) => `${p.name} ${p.rating === null ? '–' : `${p.rating}/5`}`).join(', ') }),
            h('td', {}, h('span.vote.vote-' + f.vote, { text: VOTE_TEXT[f.vote] })),
          ),
        ),
      ),
    ),
    m.barRaiser
      ? h(
          'div.bar-raiser',
          { dataset: { testid: 'bar-raiser' } },
          h('h3', { text: `The Bar Raiser: ${m.barRaiser.name}` }),
          h('p', { text: m.barRaiser.assessment }),
        )
      : null,
    m.retold.length
      ? h(
          'div.retold',
          {},
          h('h3', { text: 'Stories told twice' }),
          h(
            'ul',
            {},
            m.retold.map((r) =>
              h('li', {
                text: `Questions ${r.earlier.position + 1} and ${r.later.position + 1} (${r.earlier.interviewer ?? '—'} and ${r.later.interviewer ?? '—'}) tell the same story: ${r.shared.join(', ')}.`,
              }),
            ),
          ),
        )
      : null,
  );
}
