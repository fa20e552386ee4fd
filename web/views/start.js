// @ts-check
// The start screen: choose a loop (a preset or a custom mix) and start the interview.
import { api } from '../api.js';
import { clear, h, label } from '../dom.js';
import { tailorFields } from './tailor.js';

/**
 * The loops offered on the start screen. A loop is interviews, each with its interviewer (the
 * level's whole loop, or two for a short one); the quick practice is the level's default mix.
 */
const PRESETS = [
  { id: 'loop', name: 'loop', description: '', mix: null },
  { id: 'short', name: 'Short loop', description: 'Two interviews: one interviewer and the Bar Raiser', mix: null },
  { id: 'sde', name: 'Quick practice', description: '', mix: null },
  { id: 'lp', name: 'Leadership Principles drill', description: '4 "Tell me about a time…" questions', mix: { behavioral: 4 } },
  { id: 'design', name: 'System design', description: '2 design questions, 20 minutes each', mix: { system_design: 2 } },
  { id: 'custom', name: 'Custom', description: 'Choose the mix and topics', mix: null },
  { id: 'one', name: 'One question', description: 'Pick any question from the bank and practise it alone', mix: null },
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
  let preset = 'loop';
  const levelOf = () => ctx.defaults.levels.find((l) => l.id === level.value) ?? ctx.defaults.levels[0];
  const level = h(
    'select',
    { id: 'level', onchange: () => describePresets() },
    ctx.defaults.levels.map((l) => h('option', { value: l.id, selected: l.id === ctx.defaults.level, text: `${l.name} (${l.id})` })),
  );
  /** What each preset is at the chosen level: "SDE II loop", "4 interviews and the Bar Raiser". */
  const describePresets = () => {
    const l = levelOf();
    const barRaiser = l.id !== 'L4';
    names.loop.textContent = `${l.name} loop`;
    notes.loop.textContent = `${barRaiser ? `${l.interviews - 1} interviewers and a Bar Raiser` : `${l.interviews} interviewers`}, each owning Leadership Principles; stop after any interview and resume later`;
    notes.short.textContent = barRaiser ? 'Two interviews: one interviewer and the Bar Raiser' : 'Two interviews';
    notes.sde.textContent = `${mixText(l.mix)}, one interviewer`;
  };
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
  // One question from the bank: search it, pick it.
  const search = h('input', {
    type: 'search',
    id: 'question-search',
    placeholder: 'Search the questions (e.g. DynamoDB, customer, design)',
    oninput: () => void findQuestions(),
  });
  const picked = h('select', { id: 'question-pick', size: 6 });
  const one = h(
    'fieldset.custom',
    { hidden: true },
    h('legend', { text: 'One question' }),
    h('label', { for: 'question-search' }, 'Search: ', search),
    h('label', { for: 'question-pick' }, 'Question: ', picked),
  );
  let searching = 0;
  async function findQuestions() {
    const mine = ++searching;
    const found = await api.searchQuestions(search.value.trim());
    if (mine !== searching) return;
    clear(picked).append(
      ...found.items.map((q, i) => h('option', { value: q.id, selected: i === 0, text: `${q.prompt} (${label(q.category)})` })),
    );
  }
  void findQuestions();
  const followUps = h(
    'select',
    { id: 'followups' },
    Array.from({ length: ctx.defaults.maxFollowUpsLimit + 1 }, (_, n) =>
      h('option', { value: n, selected: n === ctx.defaults.maxFollowUps, text: String(n) }),
    ),
  );
  const error = h('p.error', { role: 'alert', hidden: true });
  const tailor = tailorFields();
  /** @type {Record<string, HTMLElement>} */
  const names = {};
  /** @type {Record<string, HTMLElement>} */
  const notes = {};
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
          one.hidden = p.id !== 'one';
        },
      }),
      (names[p.id] = h('span.preset-name', { text: p.name })),
      (notes[p.id] = h('span.muted', { text: p.description })),
    ),
  );
  describePresets();
  const offline = ctx.health?.provider === 'offline';
  const form = h(
    'form.start',
    {
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.hidden = true;
        const p = PRESETS.find((x) => x.id === preset) ?? PRESETS[0];
        /** @type {import('../api.js').CreateSessionBody} */
        const body = { maxFollowUps: Number(followUps.value), level: levelOf().id, ...tailor.values() };
        if (p.id === 'loop') body.interviews = levelOf().interviews;
        else if (p.id === 'short') body.interviews = 2;
        else if (p.id === 'one') {
          if (!picked.value) {
            error.textContent = 'Pick a question first: search the bank and choose one.';
            error.hidden = false;
            return;
          }
          body.questionIds = [picked.value];
        } else if (p.mix) body.mix = p.mix;
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
    h('p', {}, h('label', { for: 'level' }, 'The level you are interviewing for: '), level),
    h('fieldset.presets', {}, h('legend', { text: 'Choose a loop' }), cards),
    custom,
    one,
    h('p', {}, h('label', { for: 'followups' }, 'Follow-up questions per question: '), followUps),
    tailor.fieldset,
    error,
    h('button.primary.big', { type: 'submit', text: 'Start the interview' }),
  );
  clear(main).append(form);
}
