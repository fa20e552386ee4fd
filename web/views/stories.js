// @ts-check
// Stories: the candidate's story bank, each story once, and the Leadership Principles × stories matrix with the gaps.
import { api } from '../api.js';
import { clear, h } from '../dom.js';

/** @param {HTMLElement} main */
export async function storiesView(main) {
  clear(main).append(h('h1', { text: 'Stories' }));
  const bank = await api.stories();
  if (!bank.stories.length) {
    main.append(
      h('p', {}, 'No stories yet: every behavioural answer you give becomes one. ', h('a', { href: '#/', text: 'Start a loop.' })),
    );
    return;
  }
  const number = new Map(bank.stories.map((s, i) => [s.id, i + 1]));
  const gaps = [...bank.gaps, ...bank.overUsed];
  main.append(
    h('p.muted', {
      text: `${bank.stories.length} stories from your behavioural answers; a story told again in other words is counted once.`,
    }),
    h(
      'div.improvements',
      { dataset: { testid: 'story-gaps' }, hidden: !gaps.length },
      h('h2', { text: 'Gaps' }),
      h(
        'ul',
        {},
        gaps.map((g) => h('li', { text: g })),
      ),
    ),
    h(
      'div.table-wrap',
      {},
      h(
        'table.delivery-table',
        { dataset: { testid: 'story-matrix' } },
        h('caption', { text: 'Leadership Principles × stories' }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: 'Principle' }),
            bank.stories.map((s) => h('th', { scope: 'col', text: `#${number.get(s.id)}`, title: s.title })),
          ),
        ),
        h(
          'tbody',
          {},
          bank.coverage.map((c) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', text: c.principle }),
              bank.stories.map((s) => h('td', { text: c.stories.includes(s.id) ? '✓' : '' })),
            ),
          ),
        ),
      ),
    ),
    h(
      'ol.stories',
      {},
      bank.stories.map((s) =>
        h(
          'li',
          { dataset: { testid: 'story' } },
          h('strong', { text: s.title }),
          h('p', { text: s.situation }),
          s.figures.length ? h('p.muted', { text: `Figures: ${s.figures.join(', ')}` }) : null,
          h('p.muted', { text: `Shows: ${s.principles.map((p) => p.name).join(', ') || 'no principle at a hire score yet'}` }),
          h(
            'ul',
            {},
            s.told.map((t) =>
              h(
                'li',
                {},
                h('a', { href: `#/session/${encodeURIComponent(t.sessionId)}`, text: t.prompt }),
                ` — ${t.score === null ? 'not graded' : `${Math.round(t.score)}/100`}`,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
