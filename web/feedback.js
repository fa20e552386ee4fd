// @ts-check
// The feedback card after each question, and the debrief at the end.
import { barChart } from './charts.js';
import { h, label, markdown } from './dom.js';

/** Flags in plain words; the full advice is in "To improve". */
const FLAG_TEXT = {
  prompt_injection: 'text addressed to the grader was removed',
  off_topic: 'off topic',
  too_short: 'too short',
  dont_know: 'no answer',
  keyword_list: 'a list of keywords',
  question_echo: 'repeats the question',
  contradicts_reference: 'contradicts the reference',
  grader_disagreement: 'the model and the offline grader disagree widely: read this grade with care',
};

function list(title, items, cls) {
  if (!items?.length) return null;
  return h(
    'div.' + cls,
    {},
    h('h4', { text: title }),
    h(
      'ul',
      {},
      items.map((x) => h('li', { text: x })),
    ),
  );
}

/** Score, criteria with the quoted evidence, covered vs missed points, strengths, improvements. */
export function feedbackCard(question, rubric) {
  const g = question.grade;
  const names = new Map((rubric?.criteria ?? []).map((c) => [c.id, c.name]));
  const card = h(
    'section.feedback',
    { 'aria-label': `Feedback on question ${question.position + 1}`, dataset: { testid: 'feedback-card' } },
    h(
      'header.feedback-head',
      {},
      h('span.score', { text: `${Math.round(g.score)}/100`, title: 'Score' }),
      h('span.overall', { text: `${g.overall}/5` }),
      h('span.verdict.v-' + g.verdict, { text: label(g.verdict) }),
      h('span.grader', { text: g.grader.kind === 'offline' ? 'offline grader' : `graded by ${g.grader.model ?? 'model'}` }),
    ),
    g.flags.length
      ? h(
          'p.flags',
          {},
          'Flags: ',
          g.flags.map((f) => h('span.flag', { text: FLAG_TEXT[f] ?? label(f), dataset: { flag: f } })),
        )
      : null,
    h(
      'table.criteria',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Criterion' }),
          h('th', { scope: 'col', text: 'Score' }),
          h('th', { scope: 'col', text: 'Feedback and evidence' }),
        ),
      ),
      h(
        'tbody',
        {},
        g.criteria.map((c) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: names.get(c.id) ?? c.id }),
            h('td.c-score', {}, h('span.pill.s' + (c.score ?? 0), { text: c.score === null ? 'no evidence' : `${c.score}/5` })),
            h(
              'td',
              {},
              h('p', { text: c.feedback }),
              c.evidence.map((q) => h('blockquote.evidence', { text: q })),
            ),
          ),
        ),
      ),
    ),
    h('div.points', {}, list('Covered', g.coveredPoints, 'covered'), list('Missed', g.missedPoints, 'missed')),
    h('div.points', {}, list('Strengths', g.strengths, 'strengths'), list('To improve', g.improvements, 'improvements')),
  );
  const reference = question.referenceAnswer || (question.signals?.length ? question.signals.map((s) => `- ${s}`).join('\n') : '');
  if (reference) {
    const body = h('div.reference', { hidden: true, id: `ref-${question.id}` }, markdown(reference));
    const button = h('button.link', {
      type: 'button',
      'aria-expanded': 'false',
      'aria-controls': `ref-${question.id}`,
      text: question.referenceAnswer ? 'Show reference answer' : 'Show what interviewers listen for',
      onclick: () => {
        const open = body.hidden;
        body.hidden = !open;
        button.setAttribute('aria-expanded', String(open));
        button.textContent = `${open ? 'Hide' : 'Show'} ${question.referenceAnswer ? 'reference answer' : 'what interviewers listen for'}`;
      },
    });
    card.append(button, body);
  }
  return card;
}

/** Verdict with evidence, charts per rubric and per Leadership Principle, weakest areas, next steps. */
export function debriefView(d) {
  const rubricCanvas = h('canvas', { id: 'chart-rubrics' });
  const lpCanvas = h('canvas', { id: 'chart-lps' });
  const lps = d.byLeadershipPrinciple.filter((p) => p.score !== null);
  const el = h(
    'section.debrief',
    { 'aria-labelledby': 'debrief-title', dataset: { testid: 'debrief' } },
    h('h2', { id: 'debrief-title', text: 'Debrief' }),
    h(
      'p.recommendation',
      {},
      h('span.verdict.v-' + d.recommendation.verdict, { text: label(d.recommendation.verdict) }),
      ' ',
      d.recommendation.summary,
    ),
    h('p.muted', { text: `${d.questionsAnswered} of ${d.questionsAsked} asked questions graded · ${d.grader}` }),
    d.recommendation.evidence.length
      ? h(
          'details',
          { open: true },
          h('summary', { text: 'Evidence behind the recommendation' }),
          h(
            'ul',
            {},
            d.recommendation.evidence.map((e) => h('li', { text: e })),
          ),
        )
      : null,
    d.byRubric.length
      ? h(
          'div.chart-block',
          {},
          h('h3', { text: 'By rubric' }),
          h('div.chart', { style: { height: `${60 + d.byRubric.length * 36}px` } }, rubricCanvas),
        )
      : null,
    lps.length
      ? h(
          'div.chart-block',
          {},
          h('h3', { text: 'By Leadership Principle' }),
          h('div.chart', { style: { height: `${60 + lps.length * 36}px` } }, lpCanvas),
        )
      : null,
    h('div.points', {}, list('Strongest', d.strongest, 'strengths'), list('Weakest', d.weakest, 'improvements')),
    d.practiseNext.length
      ? h(
          'div',
          {},
          h('h3', { text: 'Practise next' }),
          h(
            'ul',
            {},
            d.practiseNext.map((p) => h('li', {}, h('strong', { text: label(p.topic) }), ` — ${p.why}`)),
          ),
        )
      : null,
  );
  queueMicrotask(() => {
    if (d.byRubric.length)
      barChart(
        rubricCanvas,
        d.byRubric.map((r) => r.name),
        d.byRubric.map((r) => r.score),
        'Score by rubric',
      );
    if (lps.length)
      barChart(
        lpCanvas,
        lps.map((p) => p.name),
        lps.map((p) => p.score),
        'Score by Leadership Principle',
      );
  });
  return el;
}
