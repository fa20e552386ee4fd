// @ts-check
// AUTH=token: paste an API token once; the server answers with an HttpOnly sign-in cookie.
import { api } from '../api.js';
import { byId, clear, h } from '../dom.js';

/** @param {HTMLElement} main */
export function signInView(main) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const error = h('p.error', { role: 'alert', hidden: true });
  const form = h(
    'form.signin',
    {
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.hidden = true;
        try {
          await api.login(input.value.trim());
          location.reload();
        } catch (e) {
          error.textContent = e.message;
          error.hidden = false;
          input.focus();
        }
      },
    },
    h('h1', { text: 'Sign in to mockloop' }),
    h('p', {
      text: 'Paste the API token you were given (npm run -s cli -- token create --user YOU). It is sent once; the browser then keeps a sign-in cookie.',
    }),
    h('label', { for: 'token' }, 'API token'),
    input,
    error,
    h('button.primary', { type: 'submit', text: 'Sign in' }),
  );
  clear(main).append(form);
  byId('provider').textContent = 'Not signed in';
  input.focus();
}
