// @ts-check
// The composer: the answer box, Send, Skip and Finish, and a failed turn's error with its Retry.
// The voice controls mount their parts in it (see mount) and wait with its buttons while a turn runs.
import { clear, h } from '../dom.js';

/**
 * @param {{ answer: (text: string) => void, skip: () => void, finish: () => void }} on
 */
export function createComposer(on) {
  let busy = false;
  const textarea = h('textarea', {
    id: 'answer',
    rows: 6,
    'aria-describedby': 'answer-hint',
    placeholder: 'Type your answer… (Ctrl+Enter or ⌘+Enter to send)',
    maxlength: 10000,
  });
  const send = h('button.primary', { type: 'submit', text: 'Send' });
  const skip = h('button', { type: 'button', text: 'Skip question' });
  const finish = h('button', { type: 'button', text: 'Finish loop' });
  /** The buttons that wait while a turn runs. */
  const waiting = [send, skip, finish];
  const buttons = h('span.buttons', {}, skip, finish, send);
  const form = h(
    'form.composer',
    { 'aria-label': 'Your answer' },
    h('label.sr-only', { for: 'answer', text: 'Your answer' }),
    textarea,
    h(
      'div.composer-row',
      {},
      h('span.muted', { id: 'answer-hint', text: 'Ctrl+Enter (⌘+Enter) sends · your answer is saved before the interviewer replies' }),
      buttons,
    ),
  );
  const errorBox = h('div.error', { role: 'alert', hidden: true });

  /**
   * Shows what went wrong, with a Retry button (focused) that runs `retry`.
   * @param {string} message
   * @param {() => void} retry
   */
  function showError(message, retry) {
    const button = h('button.primary', { type: 'button', text: 'Retry', onclick: retry });
    clear(errorBox).append(h('p', { text: message }), button);
    errorBox.hidden = false;
    button.focus();
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = textarea.value;
    if (!text.trim()) {
      showError('Write an answer first, or skip the question.', () => textarea.focus());
      return;
    }
    on.answer(text);
  });
  textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  skip.addEventListener('click', () => on.skip());
  finish.addEventListener('click', () => {
    if (confirm('Finish the loop now? Unanswered questions will not be graded.')) on.finish();
  });

  return {
    form,
    errorBox,
    textarea,
    get busy() {
      return busy;
    },
    /** @param {boolean} on */
    setBusy(on) {
      busy = on;
      for (const b of waiting) b.disabled = on;
      form.setAttribute('aria-busy', String(on));
    },
    /**
     * Holds Send back (a recording is being transcribed: sending now would answer without it).
     * @param {boolean} on
     */
    holdSend(on) {
      send.disabled = on || busy;
    },
    showError,
    hideError() {
      errorBox.hidden = true;
    },
    /**
     * Places other controls in the composer: above the answer box, first among its buttons (those
     * wait during a turn like the others), and below it.
     * @param {{ above: HTMLElement[], tools: HTMLElement[], below: HTMLElement[] }} parts
     */
    mount({ above, tools, below }) {
      textarea.before(...above);
      buttons.prepend(...tools);
      form.append(...below);
      for (const t of tools) if (t instanceof HTMLButtonElement) waiting.push(t);
    },
  };
}

/** @typedef {ReturnType<typeof createComposer>} Composer */
