// @ts-check
// mockloop's page: a hash router over four views.
import { api, ApiError } from './api.js';
import { lineChart } from './charts.js';
import { clear, fmtDate, h, label, plural } from './dom.js';
import { roomView } from './room.js';

/** The loops offered on the start screen; the SDE loop is the server's default mix (no mix sent). */
const PRESETS = [
  { id: 'sde', name: 'SDE loop', description: '', mix: null },
  { id: 'lp', name: 'Leadership Principles drill', description: '4 "Tell me about a time…" questions', mix: { behavioral: 4 } },
  { id: 'design', name: 'System design', description: '2 design questions, 20 minutes each', mix: { system_design: 2 } },
  { id: 'custom', name: 'Custom', description: 'Choose the mix and topics', mix: null },
];
/** Server defaults for a new loop (GET /api/sessions/defaults): mix, follow-ups, category order. */
const mixText = (mix) =>
  Object.entries(mix)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${label(c)}`)
    .join(', ');
const CATEGORIES = [
  ['behavioral', 'Behavioural'],
  ['technical', 'Technical'],
  ['system_design', 'System design'],
  ['company', 'Company'],
];

const ctx = {
  rubrics: new Map(),
  health: null,
  topics: [],
  defaults: { mix: {}, maxFollowUps: 2, maxFollowUpsLimit: 3, categories: [] },
  /** What the server offers for speaking and listening (GET /api/voice). */
  voice: { transcription: null, speech: null, keepAudio: false, maxAudioSeconds: 600, maxAudioBytes: 0 },
};
const main = document.getElementById('main');
let cleanup;

async function boot() {
  const health = await api.health();
  // Signed in? With AUTH=token a browser signs in once with a token; the server keeps the sign-in.
  const me = await api.me().catch((e) => {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  });
  if (!me) return signInView();
  if (me.via === 'cookie') {
    const nav = document.querySelector('nav');
    nav.append(
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
  const badge = document.getElementById('provider');
  badge.textContent = health.provider === 'offline' ? 'Offline interviewer & grader (no AI model)' : `Model: ${health.model}`;
  badge.classList.toggle('offline', health.provider === 'offline');
  if (health.provider !== 'offline') {
    // Say so before a turn fails: the model endpoint is checked now and every 30 seconds.
    const check = async () => {
      const ready = await api.ready();
      const down = ready.model && !ready.model.ok;
      badge.textContent = down ? `Model unreachable: ${health.model}` : `Model: ${health.model}`;
      badge.title = down ? ready.model.reason : '';
      badge.classList.toggle('unreachable', Boolean(down));
    };
    await check();
    setInterval(check, 30_000);
  }
  window.addEventListener('hashchange', route);
  await route();
}

/** AUTH=token: paste an API token once; the server answers with an HttpOnly sign-in cookie. */
function signInView() {
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
  document.getElementById('provider').textContent = 'Not signed in';
  input.focus();
}

async function route() {
  cleanup?.();
  cleanup = undefined;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [, view, id] = hash.split('/');
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${view ?? ''}`);
  // the room puts focus in the answer box; other views start at the top of the content
  if (view === 'session' && id) return void (cleanup = await roomView(main, decodeURIComponent(id), ctx));
  if (view === 'history') await historyView();
  else if (view === 'progress') await progressView();
  else startView();
  main.focus({ preventScroll: true });
}

function startView() {
  let preset = 'sde';
  const counts = Object.fromEntries(
    CATEGORIES.map(([c]) => [
      c,
      h('input', {
        type: 'number',
        min: 0,
        max: 10,
        value: ctx.defaults.mix[c] ?? 0,
        id: `n-${c}`,
      }),
    ]),
  );
  const topicBoxes = ctx.topics.map((t) => h('label.chip', {}, h('input', { type: 'checkbox', value: t }), label(t)));
  const custom = h(
    'fieldset.custom',
    { hidden: true },
    h('legend', { text: 'Custom mix' }),
    h(
      'div.counts',
      {},
      CATEGORIES.map(([c, name]) => h('label', { for: `n-${c}` }, name, counts[c])),
    ),
    h('p', { text: 'Topics (optional)' }),
    h('div.chips', {}, topicBoxes),
  );
  const followUps = h(
    'select',
    { id: 'followups' },
    Array.from({ length: ctx.defaults.maxFollowUpsLimit + 1 }, (_, n) =>
      h('option', { value: n, selected: n === ctx.defaults.maxFollowUps, text: String(n) }),
    ),
  );
  const error = h('p.error', { role: 'alert', hidden: true });
  const cards = PRESETS.map((p) =>
    h(
      'label.preset',
      {},
      h('input', {
        type: 'radio',
        name: 'preset',
        value: p.id,
        checked: p.id === preset,
        onchange: () => {
          preset = p.id;
          custom.hidden = p.id !== 'custom';
        },
      }),
      h('span.preset-name', { text: p.name }),
      h('span.muted', { text: p.id === 'sde' ? mixText(ctx.defaults.mix) : p.description }),
    ),
  );
  const offline = ctx.health?.provider === 'offline';
  const form = h(
    'form.start',
    {
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.hidden = true;
        const p = PRESETS.find((x) => x.id === preset);
        const body = { maxFollowUps: Number(followUps.value) };
        if (p.mix) body.mix = p.mix;
        else if (p.id === 'custom') {
          body.mix = Object.fromEntries(CATEGORIES.map(([c]) => [c, Number(counts[c].value) || 0]));
          const topics = topicBoxes
            .map((l) => l.querySelector('input'))
            .filter((i) => i.checked)
            .map((i) => i.value);
          if (topics.length) body.topics = topics;
        }
        try {
          const s = await api.createSession(body);
          location.hash = `#/session/${s.id}`;
        } catch (e) {
          error.textContent = e.message;
          error.hidden = false;
        }
      },
    },
    h('h1', { text: 'Practise an Amazon-style interview loop' }),
    h(
      'p.lead',
      {},
      'Answer in the chat, get probed on what is missing, and receive rubric feedback against reference answers. ',
      offline
        ? h('strong', { text: 'You are using the offline interviewer and grader: no AI model, deterministic rubric rules.' })
        : h('strong', { text: `Interviewer and grader: ${ctx.health?.model}.` }),
    ),
    h('fieldset.presets', {}, h('legend', { text: 'Choose a loop' }), cards),
    custom,
    h('p', {}, h('label', { for: 'followups' }, 'Follow-up questions per question: '), followUps),
    error,
    h('button.primary.big', { type: 'submit', text: 'Start the interview' }),
  );
  clear(main).append(form);
}

async function historyView() {
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
            await historyView();
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
            ['Date', 'Loop', 'Score', 'Status', 'Actions'].map((t) => h('th', { scope: 'col', text: t })),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );
}

async function progressView() {
  clear(main).append(h('h1', { text: 'Progress' }));
  const { points, delivery } = await api.progress();
  if (!points.length && !delivery.length) {
    main.append(h('p', {}, 'Nothing graded yet. ', h('a', { href: '#/', text: 'Start a loop' }), ' and your scores will appear here.'));
    return;
  }
  const sessions = [...new Map(points.map((p) => [p.sessionId, p.sessionCreatedAt])).entries()];
  const labels = sessions.map(([, at]) => fmtDate(at));
  const series = (key, names) =>
    [...new Set(points.map((p) => p[key]))].map((k) => ({
      label: names?.(k) ?? label(k),
      data: sessions.map(([sid]) => {
        const s = points.filter((p) => p.sessionId === sid && p[key] === k).map((p) => p.score);
        return s.length ? Math.round(s.reduce((a, b) => a + b, 0) / s.length) : null;
      }),
    }));
  const byCategory = h('canvas', { id: 'progress-category' });
  const byRubric = h('canvas', { id: 'progress-rubric' });
  main.append(
    h('p.muted', {
      text: `${plural(points.length, 'graded answer')} over ${plural(sessions.length, 'session')}; each point is a session's mean score.`,
    }),
    h('h2', { text: 'By category' }),
    h('div.chart.tall', {}, byCategory),
    h('h2', { text: 'By rubric' }),
    h('div.chart.tall', {}, byRubric),
  );
  if (delivery.length) {
    main.append(
      h('h2', { text: 'Spoken answers' }),
      h(
        'table.delivery-table',
        { dataset: { testid: 'progress-delivery' } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Session', 'Spoken answers', 'Words a minute', 'Fillers a minute', 'Long pauses', 'Over time box'].map((t) =>
              h('th', { scope: 'col', text: t }),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          delivery.map((d) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/session/${encodeURIComponent(d.sessionId)}`, text: fmtDate(d.sessionCreatedAt) })),
              [d.spokenAnswers, d.wordsPerMinute ?? '–', d.fillersPerMinute ?? '–', d.longPauses, d.overTimeBox].map((x) =>
                h('td', { text: String(x) }),
              ),
            ),
          ),
        ),
      ),
    );
  }
  if (!points.length) return;
  await lineChart(byCategory, labels, series('category'), 'Score by category over time');
  await lineChart(
    byRubric,
    labels,
    series('rubricId', (id) => ctx.rubrics.get(id)?.name ?? id),
    'Score by rubric over time',
  );
}

boot().catch((e) => {
  clear(main).append(h('p.error', { role: 'alert', text: `mockloop could not load: ${e.message}` }));
});
