// @ts-check
// Progress: scores over time by category and by rubric, and how the spoken answers went.
import { api } from '../api.js';
import { drillButton } from './drill.js';
import { lineChart } from '../charts.js';
import { clear, fmtDate, h, label, plural } from '../dom.js';

/**
 * @param {HTMLElement} main
 * @param {import('../api.js').Ctx} ctx
 */
export async function progressView(main, ctx) {
  clear(main).append(h('h1', { text: 'Progress' }));
  const [{ points, delivery }, review] = await Promise.all([api.progress(), api.review()]);
  if (!points.length && !delivery.length) {
    main.append(h('p', {}, 'Nothing graded yet. ', h('a', { href: '#/', text: 'Start a loop' }), ' and your scores will appear here.'));
    return;
  }
  const sessions = [...new Map(points.map((p) => [p.sessionId, p.sessionCreatedAt])).entries()];
  const labels = sessions.map(([, at]) => fmtDate(at));
  const series = (key, names) =>
    [...new Set(points.map((p) => p[key]))].map((k) => ({
      label: names?.(k) ?? label(k),
      data: sessions.map(([sid]) => {
        const s = points.filter((p) => p.sessionId === sid && p[key] === k).map((p) => p.score);
        return s.length ? Math.round(s.reduce((a, b) => a + b, 0) / s.length) : null;
      }),
    }));
  const byCategory = h('canvas', { id: 'progress-category' });
  const byRubric = h('canvas', { id: 'progress-rubric' });
  main.append(
    h('p.muted', {
      text: `${plural(points.length, 'graded answer')} over ${plural(sessions.length, 'session')}; each point is a session's mean score.`,
    }),
    dueSection(review),
    byLevel(points, ctx),
    h('h2', { text: 'By category' }),
    h('div.chart.tall', {}, byCategory),
    h('h2', { text: 'By rubric' }),
    h('div.chart.tall', {}, byRubric),
  );
  if (delivery.length) {
    main.append(
      h('h2', { text: 'Spoken answers' }),
      h(
        'table.delivery-table',
        { dataset: { testid: 'progress-delivery' } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Session', 'Spoken answers', 'Words a minute', 'Fillers a minute', 'Long pauses', 'Over time box'].map((t) =>
              h('th', { scope: 'col', text: t }),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          delivery.map((d) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/session/${encodeURIComponent(d.sessionId)}`, text: fmtDate(d.sessionCreatedAt) })),
              [d.spokenAnswers, d.wordsPerMinute ?? '–', d.fillersPerMinute ?? '–', d.longPauses, d.overTimeBox].map((x) =>
                h('td', { text: String(x) }),
              ),
            ),
          ),
        ),
      ),
    );
  }
  if (!points.length) return;
  await lineChart(byCategory, labels, series('category'), 'Score by category over time');
  await lineChart(
    byRubric,
    labels,
    series('rubricId', (id) => ctx.rubrics.get(id)?.name ?? id),
    'Score by rubric over time',
  );
}

/**
 * Per level practised: sessions, answers, mean score, and how many answers met that level's bar.
 * @param {import('../api.js').Progress['points']} points
 * @param {import('../api.js').Ctx} ctx
 */
function byLevel(points, ctx) {
  const levels = [...new Set(points.map((p) => p.level ?? 'none'))];
  const name = (id) => (id === 'none' ? 'Before levels' : `${ctx.defaults.levels.find((l) => l.id === id)?.name ?? id} (${id})`);
  return h(
    'div',
    {},
    h('h2', { text: 'By level' }),
    h(
      'table.delivery-table',
      { dataset: { testid: 'progress-levels' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Level', 'Sessions', 'Answers', 'Mean score', 'At or above the bar'].map((t) => h('th', { scope: 'col', text: t })),
        ),
      ),
      h(
        'tbody',
        {},
        levels.map((id) => {
          const mine = points.filter((p) => (p.level ?? 'none') === id);
          const barred = mine.filter((p) => p.bar !== null);
          const met = barred.filter((p) => p.bar !== 'below').length;
          const mean = Math.round(mine.reduce((a, p) => a + p.score, 0) / mine.length);
          return h(
            'tr',
            {},
            [
              name(id),
              new Set(mine.map((p) => p.sessionId)).size,
              mine.length,
              `${mean}/100`,
              barred.length ? `${met} of ${barred.length}` : '–',
            ].map((x) => h('td', { text: String(x) })),
          );
        }),
      ),
    ),
  );
}

/**
 * What spaced repetition says is due today, weakest recall first, and the drill of it.
 * @param {import('../api.js').ReviewSchedule} review
 */
function dueSection(review) {
  const row = (i) =>
    h(
      'tr',
      {},
      [
        i.kind === 'principle' ? i.name : i.name.length > 70 ? `${i.name.slice(0, 67)}…` : i.name,
        `${Math.round(i.recall * 100)}%`,
        `${i.stability} days`,
        String(i.reviews),
        fmtDate(i.due),
      ].map((x) => h('td', { text: x })),
    );
  return h(
    'div',
    { dataset: { testid: 'due' } },
    h('h2', { text: 'Due for review' }),
    review.due.length
      ? h('p', { text: `${plural(review.due.length, 'item')} due today.` })
      : h('p.muted', { text: 'Nothing is due today.' }),
    h(
      'table.delivery-table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Question or principle', 'Recall now', 'Memory lasts', 'Reviews', 'Due'].map((t) => h('th', { scope: 'col', text: t })),
        ),
      ),
      h('tbody', {}, [...review.due, ...review.upcoming].map(row)),
    ),
    drillButton(),
  );
}
