// @ts-check
// The start screen: choose a loop (a preset or a custom mix) and start the interview.
import { api } from '../api.js';
import { clear, h, label } from '../dom.js';

/** The loops offered on the start screen; the SDE loop is the server's default mix (no mix sent). */
const PRESETS = [
  { id: 'sde', name: 'SDE loop', description: '', mix: null },
  { id: 'lp', name: 'Leadership Principles drill', description: '4 "Tell me about a time…" questions', mix: { behavioral: 4 } },
  { id: 'design', name: 'System design', description: '2 design questions, 20 minutes each', mix: { system_design: 2 } },
  { id: 'custom', name: 'Custom', description: 'Choose the mix and topics', mix: null },
];
/** A mix in words ("2 behavioural, 1 system design"): the SDE preset says what the server's default is. */
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

/**
 * @param {HTMLElement} main
 * @param {import('../api.js').Ctx} ctx
 */
export function startView(main, ctx) {
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
  const topicBoxes = ctx.topics.map((topic) => ({ topic, input: h('input', { type: 'checkbox', value: topic }) }));
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
    h(
      'div.chips',
      {},
      topicBoxes.map(({ topic, input }) => h('label.chip', {}, input, label(topic))),
    ),
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
        const p = PRESETS.find((x) => x.id === preset) ?? PRESETS[0];
        /** @type {import('../api.js').CreateSessionBody} */
        const body = { maxFollowUps: Number(followUps.value) };
        if (p.mix) body.mix = p.mix;
        else if (p.id === 'custom') {
          body.mix = Object.fromEntries(CATEGORIES.map(([c]) => [c, Number(counts[c].value) || 0]));
          const topics = topicBoxes.filter((b) => b.input.checked).map((b) => b.topic);
          // The topics offered are the bank's own (GET /api/questions/facets), so each one is a Topic.
          if (topics.length) body.topics = /** @type {NonNullable<typeof body.topics>} */ (topics);
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
