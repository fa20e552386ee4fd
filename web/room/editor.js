// @ts-check
// The code editor: CodeMirror 6, loaded from npm through the page's import map (src/importmap.ts)
// only when a coding question comes up. It lives in a shadow root: there CodeMirror styles itself
// with constructed style sheets, which the page's CSP (no inline styles) allows, where it would
// otherwise add <style> elements. Tab indents; Escape then Tab leaves the editor (CodeMirror's
// tab focus mode), so the keyboard is never trapped.
import { basicSetup } from 'codemirror';
import { indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { indentUnit } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';

/** @typedef {import('../api.js').CodeLanguage} CodeLanguage */

/** @param {CodeLanguage} language */
const languageOf = (language) => (language === 'python' ? [python(), indentUnit.of('    ')] : [javascript(), indentUnit.of('  ')]);

const NAMES = { javascript: 'JavaScript', python: 'Python' };

/** The editor's look, in the page's colours (its custom properties reach into the shadow root). */
const theme = EditorView.theme({
  '&': {
    fontSize: '0.95rem',
    border: '1px solid var(--line, #ccc)',
    borderRadius: '6px',
    background: 'var(--bg, #fff)',
    minHeight: '16rem',
  },
  '&.cm-focused': { outline: '2px solid var(--accent, #0a66c2)', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '16rem', maxHeight: '32rem' },
  '.cm-content': { minHeight: '16rem' },
});

/**
 * @param {{ host: HTMLElement, doc: string, language: CodeLanguage, onChange: (code: string) => void, onRun: () => void }} options
 */
export function createEditor({ host, doc, language, onChange, onRun }) {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const mount = document.createElement('div');
  root.replaceChildren(mount);
  /** @param {CodeLanguage} l */
  const labelOf = (l) =>
    EditorView.contentAttributes.of({
      'aria-label': `Your code (${NAMES[l]}). Ctrl+Enter or ⌘+Enter runs it; Tab indents; Escape then Tab leaves the editor.`,
    });
  const extensions = (/** @type {CodeLanguage} */ l) => [
    // Ctrl/Cmd+Enter runs the code, before basicSetup's own meaning of it (a new line)
    Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (onRun(), true) }])),
    basicSetup,
    keymap.of([indentWithTab]),
    languageOf(l),
    labelOf(l),
    theme,
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
  ];
  const view = new EditorView({ parent: mount, root, state: EditorState.create({ doc, extensions: extensions(language) }) });
  return {
    view,
    get code() {
      return view.state.doc.toString();
    },
    /**
     * Another language, with its own code: a new state (the undo history of one language is not the other's).
     * @param {CodeLanguage} l
     * @param {string} code
     */
    setLanguage(l, code) {
      view.setState(EditorState.create({ doc: code, extensions: extensions(l) }));
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}

/** @typedef {ReturnType<typeof createEditor>} Editor */
