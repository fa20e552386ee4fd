// @ts-check
// "Practise next" as a button: a drill of what spaced repetition says is due (GET /api/review).
import { api } from '../api.js';
import { h } from '../dom.js';

/** A button that starts a session of the questions due for review, or says there are none. */
export function drillButton() {
  const note = h('span.muted', { role: 'status' });
  const button = h('button.primary', {
    type: 'button',
    text: 'Practise what is due',
    dataset: { testid: 'drill' },
    onclick: async () => {
      button.disabled = true;
      try {
        const review = await api.review();
        if (!review.drill.length) {
          note.textContent = ` Nothing is due yet: ${review.upcoming[0] ? `the next review is on ${new Date(review.upcoming[0].due).toLocaleDateString()}` : 'answer a few questions first'}.`;
          return;
        }
        const s = await api.createSession({ questionIds: review.drill });
        location.hash = `#/session/${s.id}`;
      } catch (e) {
        note.textContent = ` ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        button.disabled = false;
      }
    },
  });
  return h('p.drill', {}, button, note);
}
