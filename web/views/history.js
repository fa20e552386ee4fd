// @ts-check
// History: every session, to continue or replay, export or delete.
import { api } from '../api.js';
import { clear, fmtDate, h } from '../dom.js';

/** @param {HTMLElement} main */
export async function historyView(main) {
  clear(main).append(h('h1', { text: 'History' }));
  let data;
  try {
    data = await api.listSessions();
  } catch (e) {
    main.append(h('p.error', { role: 'alert', text: e.message }));
    return;
  }
  if (!data.items.length) {
    main.append(h('p', {}, 'No sessions yet. ', h('a', { href: '#/', text: 'Start your first loop.' })));
    return;
  }
  const rows = data.items.map((s) =>
    h(
      'tr',
      { dataset: { id: s.id } },
      h('td', {}, h('time', { datetime: s.createdAt, text: fmtDate(s.createdAt) })),
      h('td', { text: s.level ?? '–' }),
      h('td', { text: s.loop }),
      h('td', { text: s.score === null ? '–' : `${Math.round(s.score)}/100` }),
      h('td', { text: `${s.status === 'finished' ? 'finished' : 'in progress'} · ${s.gradedCount}/${s.questionCount} graded` }),
      h(
        'td.actions',
        {},
        h('a.button', {
          href: `#/session/${s.id}`,
          text: s.status === 'finished' ? 'Replay' : 'Continue',
          'aria-label': `${s.status === 'finished' ? 'Replay' : 'Continue'} session of ${fmtDate(s.createdAt)}`,
        }),
        h('a.button', { href: api.exportUrl(s.id, 'md'), download: '', text: 'Markdown' }),
        h('a.button', { href: api.exportUrl(s.id, 'json'), download: '', text: 'JSON' }),
        h('button.danger', {
          type: 'button',
          text: 'Delete',
          'aria-label': `Delete session of ${fmtDate(s.createdAt)}`,
          onclick: async () => {
            if (!confirm('Delete this session and all its answers? This cannot be undone.')) return;
            await api.deleteSession(s.id);
            await historyView(main);
          },
        }),
      ),
    ),
  );
  main.append(
    h(
      'div.table-wrap',
      {},
      h(
        'table.history',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Date', 'Level', 'Loop', 'Score', 'Status', 'Actions'].map((t) => h('th', { scope: 'col', text: t })),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );
}
