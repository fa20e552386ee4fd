// @ts-check
// The feedback card after each question, and the debrief at the end.
import { drillButton } from './views/drill.js';
import { meetingView } from './views/meeting.js';
import { barChart } from './charts.js';
import { fmtClock, h, label, markdown } from './dom.js';

/** Flags in plain words; the full advice is in "To improve". */
const FLAG_TEXT = {
  prompt_injection: 'text addressed to the grader was removed',
  off_topic: 'off topic',
  off_theme: 'a story for another question',
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

/** "0:40 of 3:00 · 81 wpm · 2 fillers (um 1, you know 1) · 1 long pause": one spoken answer in a line. */
export function deliveryLine(d) {
  const parts = [`${fmtClock(d.speakingSeconds)} of ${fmtClock(d.timeBoxSeconds)}`, `${d.wordsPerMinute} wpm`];
  parts.push(
    d.fillers.total
      ? `${d.fillers.total} filler${d.fillers.total > 1 ? 's' : ''} (${d.fillers.counts.map((c) => `${c.filler} ${c.count}`).join(', ')})`
      : 'no fillers',
  );
  if (d.pauses) parts.push(`${d.pauses.long} long pause${d.pauses.long === 1 ? '' : 's'}`);
  if (d.star) parts.push(`situation ${Math.round(d.star.situationShare * 100)}% of the time${d.star.estimated ? ' (estimated)' : ''}`);
  return parts.join(' · ');
}

/** How each spoken answer to the question was delivered: figures, what to work on, the kept audio. */
function deliverySection(spoken) {
  if (!spoken?.length) return null;
  return h(
    'div.delivery',
    { dataset: { testid: 'delivery' } },
    h('h4', { text: 'Delivery (not part of the score)' }),
    spoken.map((r) =>
      h(
        'div',
        {},
        h('p', { text: deliveryLine(r.delivery) }),
        r.delivery.notes.length
          ? h(
              'ul',
              {},
              r.delivery.notes.map((n) => h('li', { text: n })),
            )
          : h('p.muted', { text: 'Pace, length and fillers were fine.' }),
        r.audioUrl ? h('audio', { controls: true, preload: 'none', src: r.audioUrl, 'aria-label': 'Your recording' }) : null,
      ),
    ),
  );
}

/**
 * Score, criteria with the quoted evidence, covered vs missed points, strengths, improvements,
 * and for spoken answers how they were delivered.
 */
export function feedbackCard(question, rubric, spoken = []) {
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
    g.bar ? h('p.bar.bar-' + g.bar.verdict, { text: g.bar.reason, dataset: { testid: 'bar' } }) : null,
    g.rubricOnly ? h('p.rubric-only', { text: `Graded on the rubric only: ${g.rubricOnly}.`, dataset: { testid: 'rubric-only' } }) : null,
    (question.retold ?? []).map((r) => {
      const other = r.earlier.position === question.position ? r.later : r.earlier;
      return h(
        'p.flags',
        { dataset: { testid: 'retold' } },
        h('span.flag', { text: 'story told twice' }),
        ` The same story as question ${other.position + 1}${other.interviewer ? ` (told to ${other.interviewer})` : ''}: ${r.shared.join(', ')}.`,
      );
    }),
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
    deliverySection(spoken),
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
    // A loop decides in its meeting; a practice session by the rule over its answers.
    d.meeting ? meetingView(d.meeting) : null,
    d.meeting
      ? null
      : h(
          'p.recommendation',
          {},
          h('span.verdict.v-' + d.recommendation.verdict, { text: label(d.recommendation.verdict) }),
          ' ',
          d.recommendation.summary,
        ),
    !d.meeting && d.recommendation.decidedBy?.length
      ? h(
          'div.decided',
          { dataset: { testid: 'decided-by' } },
          h('h3', { text: 'What decided it' }),
          h(
            'ul',
            {},
            d.recommendation.decidedBy.map((x) =>
              h('li', {}, h('q', { text: x.prompt }), ` — ${x.score}/100, ${label(x.verdict)}: ${x.why}`),
            ),
          ),
        )
      : null,
    !d.meeting && d.recommendation.wouldChange
      ? h('p.would-change', { text: `What would change it: ${d.recommendation.wouldChange}` })
      : null,
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
    d.delivery ? deliverySummary(d.delivery) : null,
    d.practiseNext.length
      ? h(
          'div',
          {},
          h('h3', { text: 'Practise next' }),
          drillButton(),
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

/** The spoken answers of a loop, summed up. */
export function deliverySummary(s) {
  const facts = [
    `${s.spokenAnswers} spoken answer${s.spokenAnswers > 1 ? 's' : ''}, ${fmtClock(s.speakingSeconds)} in all`,
    s.wordsPerMinute === null ? null : `${s.wordsPerMinute} words a minute`,
    s.fillersPerMinute === null ? null : `${s.fillersPerMinute} fillers a minute`,
    `${s.longPauses} long pause${s.longPauses === 1 ? '' : 's'}`,
    `${s.overTimeBox} over the time box`,
    s.situationShare === null ? null : `situation and task ${Math.round(s.situationShare * 100)}% of STAR answers`,
  ].filter(Boolean);
  return h(
    'div.delivery',
    { dataset: { testid: 'debrief-delivery' } },
    h('h3', { text: 'Delivery' }),
    h('p', { text: facts.join(' · ') }),
    h('p.muted', { text: 'How you spoke is measured from the transcripts and their timing, and never changes a score.' }),
  );
}
