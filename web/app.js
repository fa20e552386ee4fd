// @ts-check
// mockloop's page: boot (who is signed in, what the server offers), then a hash router over the views.
import { api, ApiError } from './api.js';
import { byId, clear, h } from './dom.js';
import { roomView } from './room.js';
import { historyView } from './views/history.js';
import { progressView } from './views/progress.js';
import { storiesView } from './views/stories.js';
import { signInView } from './views/signin.js';
import { startView } from './views/start.js';

/** @type {import('./api.js').Ctx} */
const ctx = {
  rubrics: new Map(),
  health: null,
  topics: [],
  defaults: {
    mix: {},
    maxFollowUps: 2,
    maxFollowUpsLimit: 3,
    categories: [],
    level: 'L5',
    levels: [{ id: 'L5', name: 'SDE II', interviews: 5, mix: {} }],
  },
  /** What the server offers for speaking and listening (GET /api/voice). */
  voice: { transcription: null, speech: null, keepAudio: false, maxAudioSeconds: 600, maxAudioBytes: 0 },
};
const main = byId('main');
/** @type {(() => void) | undefined} */
let cleanup;

async function boot() {
  const health = await api.health();
  // Signed in? With AUTH=token a browser signs in once with a token; the server keeps the sign-in.
  const me = await api.me().catch((e) => {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  });
  if (!me) return signInView(main);
  if (me.via === 'cookie') {
    document.querySelector('nav')?.append(
      h('button.link', {
        type: 'button',
        text: `Sign out (${me.user.name})`,
        onclick: async () => {
          await api.logout();
          location.reload();
        },
      }),
    );
  }
  const [rubrics, facets, defaults, voice] = await Promise.all([api.rubrics(), api.facets(), api.sessionDefaults(), api.voice()]);
  ctx.health = health;
  ctx.voice = voice;
  ctx.defaults = defaults;
  ctx.topics = facets.topics.map((t) => t.id);
  for (const r of rubrics.items) ctx.rubrics.set(r.id, r);
  const badge = byId('provider');
  badge.textContent = health.provider === 'offline' ? 'Offline interviewer & grader (no AI model)' : `Model: ${health.model}`;
  badge.classList.toggle('offline', health.provider === 'offline');
  if (health.provider !== 'offline') {
    // Say so before a turn fails: the model endpoint is checked now and every 30 seconds.
    const check = async () => {
      const { model } = await api.ready();
      const down = Boolean(model && !model.ok);
      badge.textContent = down ? `Model unreachable: ${health.model}` : `Model: ${health.model}`;
      badge.title = (down && model?.reason) || '';
      badge.classList.toggle('unreachable', down);
    };
    await check();
    setInterval(check, 30_000);
  }
  window.addEventListener('hashchange', route);
  await route();
}

async function route() {
  cleanup?.();
  cleanup = undefined;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [, view, id] = hash.split('/');
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${view ?? ''}`);
  // the room puts focus in the answer box; other views start at the top of the content
  if (view === 'session' && id) return void (cleanup = await roomView(main, decodeURIComponent(id), ctx));
  if (view === 'history') await historyView(main);
  else if (view === 'progress') await progressView(main, ctx);
  else if (view === 'stories') await storiesView(main);
  else startView(main, ctx);
  main.focus({ preventScroll: true });
}

boot().catch((e) => {
  clear(main).append(h('p.error', { role: 'alert', text: `mockloop could not load: ${e.message}` }));
});
