// @ts-check
// Stories: the candidate's story bank, each story once, and the Leadership Principles × stories matrix with the gaps.
// Each story can be renamed (inline), merged into another or deleted; the page is read again after each.
import { api } from '../api.js';
import { clear, h } from '../dom.js';

/** @typedef {import('../api.js').Story} Story */

/**
 * @param {HTMLElement} main
 * @param {{ error?: string, focus?: string }} [after] what the last edit left: its error, and the control to focus
 */
export async function storiesView(main, after = {}) {
  const bank = await api.stories();
  clear(main).append(h('h1', { text: 'Stories' }));
  const alert = h('p.error', {
    role: 'alert',
    tabindex: '-1',
    dataset: { testid: 'story-error' },
    hidden: !after.error,
    text: after.error ?? '',
  });
  main.append(alert);
  if (!bank.stories.length) {
    main.append(
      h('p', {}, 'No stories yet: every behavioural answer you give becomes one. ', h('a', { href: '#/', text: 'Start a loop.' })),
    );
    return;
  }
  const number = new Map(bank.stories.map((s, i) => [s.id, i + 1]));
  const gaps = [...bank.gaps, ...bank.overUsed];

  /**
   * Runs an edit, then shows the bank again, with the edit's error if it failed.
   * @param {() => Promise<unknown>} edit
   * @param {string} [focus] the data-focus of the control to focus afterwards
   */
  const change = async (edit, focus) => {
    let error;
    try {
      await edit();
    } catch (e) {
      error = /** @type {Error} */ (e).message;
    }
    await storiesView(main, { error, focus });
  };

  main.append(
    h('p.muted', {
      text: `${bank.stories.length} stories from your behavioural answers; a story told again in other words is counted once.`,
    }),
    h(
      'p.muted',
      {},
      'Download the bank: ',
      h('a', { href: api.storiesExportUrl('md'), download: '', text: 'Markdown' }),
      ' · ',
      h('a', { href: api.storiesExportUrl('json'), download: '', text: 'JSON' }),
    ),
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
              bank.stories.map((s) =>
                h(
                  'td',
                  c.stories.includes(s.id) ? { 'aria-label': `story #${number.get(s.id)} shows ${c.principle}` } : {},
                  c.stories.includes(s.id) ? '✓' : '',
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'ol.stories',
      {},
      bank.stories.map((s) => storyItem(s, number, bank.stories, change)),
    ),
  );
  const focus = after.focus && main.querySelector(`[data-focus="${CSS.escape(after.focus)}"]`);
  if (focus instanceof HTMLElement) focus.focus();
  else if (after.error) alert.focus();
}

/**
 * One story: its title (renamed in place), what it showed, where it was told, and its edits.
 * @param {Story} s
 * @param {Map<string, number>} number
 * @param {Story[]} all
 * @param {(edit: () => Promise<unknown>, focus?: string) => Promise<void>} change
 */
function storyItem(s, number, all, change) {
  const n = number.get(s.id);
  const title = h('strong', { text: s.title });
  const rename = h('button.link', {
    type: 'button',
    text: 'Rename',
    'aria-label': `Rename story #${n}`,
    dataset: { focus: `rename-${s.id}` },
  });
  const heading = h('div.story-title', {}, title, ' ', rename);

  const input = h('input', { id: `title-${s.id}`, value: s.title, maxlength: 120, required: true, autocomplete: 'off' });
  const form = h(
    'form.story-rename',
    { hidden: true },
    h('label', { for: input.id }, `Title of story #${n}: `),
    input,
    ' ',
    h('button', { type: 'submit', text: 'Save' }),
    ' ',
    h('button', { type: 'button', text: 'Cancel', onclick: () => close() }),
  );
  const close = () => {
    form.hidden = true;
    heading.hidden = false;
    rename.focus();
  };
  rename.addEventListener('click', () => {
    heading.hidden = true;
    form.hidden = false;
    input.value = s.title;
    input.focus();
    input.select();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void change(() => api.renameStory(s.id, input.value), `rename-${s.id}`);
  });

  const others = all.filter((o) => o.id !== s.id);
  const target = h(
    'select',
    { id: `merge-${s.id}` },
    h('option', { value: '', text: 'Pick a story' }),
    others.map((o) => h('option', { value: o.id, text: `#${number.get(o.id)} ${o.title}` })),
  );
  const merge = h(
    'form.story-merge',
    { hidden: !others.length },
    h('label', { for: target.id }, `Merge story #${n} into: `),
    target,
    ' ',
    h('button', { type: 'submit', text: 'Merge' }),
  );
  merge.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!target.value) return void target.focus();
    const into = target.value;
    void change(() => api.mergeStory(s.id, into), `rename-${into}`);
  });

  const remove = h('button.danger', {
    type: 'button',
    text: 'Delete',
    'aria-label': `Delete story #${n}`,
    onclick: () => {
      if (!confirm(`Delete the story "${s.title}" from your bank? Told again in a later loop, it stays deleted.`)) return;
      void change(() => api.deleteStory(s.id));
    },
  });

  return h(
    'li',
    { dataset: { testid: 'story', id: s.id } },
    heading,
    form,
    h('p', { text: s.situation }),
    s.figures.length ? h('p.muted', { text: `Figures: ${s.figures.join(', ')}` }) : null,
    h('p.muted', { text: `Shows: ${s.principles.map((p) => p.name).join(', ') || 'no principle at a hire score yet'}` }),
    s.merged.length ? h('p.muted', { text: `Merged from ${s.merged.length} other ${s.merged.length === 1 ? 'story' : 'stories'}.` }) : null,
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
    h('div.story-actions', {}, merge, remove),
  );
}
