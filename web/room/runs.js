// @ts-check
// A code run's results, in the room (the last run, under the editor) and in the replay (every run
// of a coding question, its code folded away). Visible tests show their input, the expected and
// the actual result; hidden tests only whether they passed: their input is never on the page.
import { h } from '../dom.js';

/** @typedef {import('../api.js').CodeRun} CodeRun */
/** @typedef {import('../api.js').TestResult} TestResult */
/** @typedef {import('../api.js').TestInput} TestInput */

export const LANGUAGES = /** @type {const} */ ({ javascript: 'JavaScript', python: 'Python' });

const STATUS = {
  ok: '',
  compile_error: 'Your code did not compile',
  timeout: 'Your code ran out of time',
  memory: 'Your code ran out of memory',
  crashed: 'Your code crashed the runner',
};

const REASON = { wrong_answer: 'wrong answer', error: 'error', not_run: 'not run' };

/** A value as the tests write it: JSON, undefined as "—". */
const show = (v) => (v === undefined ? '—' : JSON.stringify(v));

/** @param {TestInput} input */
function inputText(input) {
  if ('calls' in input) return input.calls.map(([method, args]) => `${method}(${(args ?? []).map(show).join(', ')})`).join('\n');
  return input.args.map(show).join(', ');
}

/** "4/5 visible tests passed · 7/10 hidden" */
export function runSummary(/** @type {CodeRun} */ run) {
  const parts = [`${run.visible.passed}/${run.visible.total} visible tests passed`];
  if (run.hidden.total) parts.push(`${run.hidden.passed}/${run.hidden.total} hidden`);
  return parts.join(' · ');
}

/** "Run 2 · Submit · Python" */
export function runTitle(/** @type {CodeRun} */ run) {
  return `${run.kind === 'submit' ? 'Submit' : 'Run'} ${run.number} · ${LANGUAGES[run.language] ?? run.language}`;
}

/** @param {TestResult} t */
function testEl(t) {
  const mark = t.passed ? '✓ passed' : t.reason === 'not_run' ? '– not run' : '✗ failed';
  if (t.hidden) {
    return h(
      'li.test.hidden-test',
      { dataset: { passed: String(t.passed) } },
      h('span.test-name', { text: `Hidden test ${t.index + 1}` }),
      ' ',
      h('span.test-mark', { text: mark }),
    );
  }
  const row = (name, value, cls = '') => [h('dt', { text: name }), h('dd', {}, h(`code${cls}`, { text: value }))];
  return h(
    'li.test',
    { dataset: { passed: String(t.passed) } },
    h('span.test-name', { text: t.name || `Test ${t.index + 1}` }),
    ' ',
    h('span.test-mark', {
      text: t.passed ? mark : `${mark}${t.reason && t.reason !== 'not_run' ? ` (${REASON[t.reason] ?? t.reason})` : ''}`,
    }),
    h(
      'dl.test-io',
      {},
      ...row('Input', inputText(t.input)),
      ...row('Expected', show(t.expected)),
      ...(t.passed || t.reason === 'not_run' ? [] : row('Got', show(t.got))),
      ...(t.error ? row('Error', t.error, '.error-text') : []),
    ),
  );
}

/**
 * How a submit's running time grew on larger and larger inputs, measured by the server.
 * @param {CodeRun['growth']} growth
 */
function growthEl(growth) {
  if (!growth?.measured) return null;
  const expected = growth.expected ? ` The problem allows ${growth.expected}.` : '';
  const verdict = growth.withinExpected === false ? ' That is slower than this problem needs.' : '';
  return h(
    'p.run-growth',
    { dataset: { testid: 'growth' } },
    `Running time on growing inputs: about ${growth.measured}.${expected}${verdict}`,
  );
}

/**
 * A run's results: its status, its error and output, each test.
 * @param {CodeRun} run
 */
export function runResults(run) {
  const problem = STATUS[run.status];
  return h(
    'div.run-results',
    { dataset: { testid: 'run-results', status: run.status, passed: String(run.passed) } },
    h(
      'p.run-summary',
      {},
      h('strong', { text: run.passed ? 'All tests passed. ' : problem ? `${problem}. ` : 'Some tests failed. ' }),
      runSummary(run),
    ),
    run.error ? h('pre.run-error', { text: run.error }) : null,
    growthEl(run.growth),
    run.output ? h('details.run-output', {}, h('summary', { text: 'Output (console)' }), h('pre', { text: run.output })) : null,
    h('ol.tests', {}, ...run.tests.map(testEl)),
  );
}

/**
 * A coding question's runs for the replay: each with its code (folded) and results.
 * @param {CodeRun[]} runs
 */
export function runsHistory(runs) {
  return h(
    'section.code-runs',
    { 'aria-label': 'Code runs', dataset: { testid: 'code-runs' } },
    h('h3', { text: `Code runs (${runs.length})` }),
    ...runs.map((run) =>
      h(
        'details.code-run',
        { dataset: { number: String(run.number), kind: run.kind } },
        h(
          'summary',
          {},
          `${runTitle(run)} · ${new Date(run.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} · ${runSummary(run)}`,
        ),
        h('pre.code', {}, h('code', { text: run.code })),
        runResults(run),
      ),
    ),
  );
}
