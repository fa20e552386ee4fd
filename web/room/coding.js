// @ts-check
// A coding question in the room: the problem (statement, examples, constraints), a language, the
// editor with the candidate's code (kept in this browser's storage as they type, per session,
// question and language: a reload loses nothing), Run (the visible tests), Submit (all of them),
// and the last run's results, announced when they arrive.
import { api, ApiError } from '../api.js';
import { clear, h, markdown } from '../dom.js';
import { createEditor } from './editor.js';
import { LANGUAGES, runResults } from './runs.js';

/** @typedef {import('../api.js').Coding} Coding */
/** @typedef {import('../api.js').CodeLanguage} CodeLanguage */
/** @typedef {import('../api.js').CodeRun} CodeRun */

/** @param {string} key */
function load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused: the code lives as long as the page
  }
}
/** @param {string} key @param {string} value */
function save(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage full or refused: a Run or Submit still sends the code
  }
}

/**
 * @param {{ sessionId: string, questionId: string, coding: Coding, onSubmitted: (run: CodeRun) => void }} options
 */
export function createCodingPanel({ sessionId, questionId, coding, onSubmitted }) {
  const key = (/** @type {string} */ what) => `mockloop.code.${sessionId}.${questionId}.${what}`;
  const runs = [...coding.runs];
  /** The code for a language: as last typed here, else as last run, else the starter. */
  const codeFor = (/** @type {CodeLanguage} */ l) =>
    load(key(l)) ?? runs.filter((r) => r.language === l).at(-1)?.code ?? coding.starter[l] ?? '';
  const saved = load(key('language'));
  /** @type {CodeLanguage} */
  let language = saved === 'python' || saved === 'javascript' ? saved : (runs.at(-1)?.language ?? 'javascript');
  let busy = false;

  const select = h(
    'select',
    { id: 'code-language' },
    ...Object.entries(LANGUAGES).map(([value, name]) => h('option', { value, text: name, selected: value === language })),
  );
  const host = h('div.editor-host', { dataset: { testid: 'editor' } });
  const run = h('button', { type: 'button', text: 'Run', 'aria-describedby': 'code-keys' });
  const submit = h('button.primary', { type: 'button', text: 'Submit' });
  const state = h('p.run-state', { role: 'status', 'aria-live': 'polite', dataset: { testid: 'run-state' } });
  const results = h('div.run-slot');
  const error = h('p.error', { role: 'alert', hidden: true });

  const examples = coding.examples.map((ex, i) =>
    h(
      'li',
      {},
      h('span.sr-only', { text: `Example ${i + 1}` }),
      h(
        'dl.example',
        {},
        h('dt', { text: 'Input' }),
        h('dd', {}, h('code', { text: ex.input })),
        h('dt', { text: 'Output' }),
        h('dd', {}, h('code', { text: ex.output })),
      ),
      ex.explanation ? markdown(ex.explanation) : null,
    ),
  );
  const el = h(
    'section.coding',
    { 'aria-labelledby': 'coding-title', dataset: { testid: 'coding', problem: coding.problemId } },
    h('h2', { id: 'coding-title' }, coding.title, ' ', h('span.badge', { text: coding.difficulty })),
    h(
      'div.problem',
      {},
      markdown(coding.statement),
      examples.length ? [h('h3', { text: 'Examples' }), h('ol.examples', {}, ...examples)] : null,
      coding.constraints.length
        ? [h('h3', { text: 'Constraints' }), h('ul.constraints', {}, ...coding.constraints.map((c) => h('li', {}, markdown(c))))]
        : null,
    ),
    h(
      'div.editor-bar',
      {},
      h('label', { for: 'code-language', text: 'Language' }),
      select,
      h('span.muted', { id: 'code-keys', text: 'Ctrl+Enter (⌘+Enter) runs · Tab indents · Escape then Tab leaves the editor' }),
    ),
    host,
    h(
      'div.editor-actions',
      {},
      run,
      h('span.muted', { text: 'the visible tests' }),
      submit,
      h('span.muted', { text: 'all tests, hidden ones too, then explain your approach' }),
    ),
    error,
    state,
    results,
  );

  const editor = createEditor({
    host,
    doc: codeFor(language),
    language,
    onChange: (code) => save(key(language), code),
    onRun: () => void send('run'),
  });

  select.addEventListener('change', () => {
    save(key(language), editor.code);
    language = /** @type {CodeLanguage} */ (select.value);
    save(key('language'), language);
    editor.setLanguage(language, codeFor(language));
  });
  run.addEventListener('click', () => void send('run'));
  submit.addEventListener('click', () => void send('submit'));

  /** @param {CodeRun | undefined} last */
  function show(last) {
    clear(results);
    if (last) results.append(runResults(last));
  }

  /** @param {'run' | 'submit'} kind */
  async function send(kind) {
    if (busy) return;
    busy = true;
    run.disabled = submit.disabled = true;
    error.hidden = true;
    const code = editor.code;
    save(key(language), code);
    state.textContent = kind === 'submit' ? 'Running all the tests…' : 'Running the visible tests…';
    try {
      const { run: done } = await api.code(sessionId, kind, { language, code });
      runs.push(done);
      show(done);
      state.textContent = `${done.kind === 'submit' ? 'Submitted' : 'Ran'}: ${done.passed ? 'all tests passed' : 'some tests failed'} (${done.visible.passed} of ${done.visible.total} visible${done.hidden.total ? `, ${done.hidden.passed} of ${done.hidden.total} hidden` : ''}).`;
      if (kind === 'submit') onSubmitted(done);
    } catch (e) {
      state.textContent = '';
      error.textContent =
        e instanceof ApiError && e.status === 429 ? `${e.message} Your code is kept here: try again in a moment.` : e.message;
      error.hidden = false;
    } finally {
      busy = false;
      run.disabled = submit.disabled = false;
    }
  }

  show(runs.at(-1));
  return {
    el,
    editor,
    destroy() {
      editor.destroy();
      el.remove();
    },
  };
}

/** @typedef {ReturnType<typeof createCodingPanel>} CodingPanel */
