// @ts-check
// The interview room: transcript, streaming replies, timer, composer, feedback cards, debrief.
// A finished session opens here read-only: the replay.
import { api, ApiError, streamTurn } from './api.js';
import { debriefView, feedbackCard } from './feedback.js';
import { clear, fmtClock, fmtDate, h, label, markdown } from './dom.js';

const KIND_LABEL = {
  opening: 'Interviewer',
  question: 'Interviewer',
  followup: 'Interviewer · follow-up',
  closing: 'Interviewer',
  answer: 'You',
  skip: 'You',
};

function messageEl(m) {
  const mine = m.role === 'candidate';
  const body = mine
    ? h('div.text', { text: m.content }) // the candidate's words, shown exactly as typed
    : markdown(m.content);
  return h(
    'article.msg.' + (mine ? 'me' : 'them'),
    { dataset: { kind: m.kind, id: m.id } },
    h(
      'div.who',
      {},
      KIND_LABEL[m.kind] ?? m.role,
      h('time', { datetime: m.createdAt, text: new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }),
    ),
    body,
  );
}

export async function roomView(main, id, ctx) {
  let session;
  try {
    session = await api.getSession(id);
  } catch (e) {
    clear(main).append(
      h('p.error', { role: 'alert', text: e.message }),
      h('p', {}, h('a', { href: '#/history', text: 'Back to history' })),
    );
    return;
  }
  const readOnly = session.status === 'finished';
  let busy = false;
  let timer;

  const heading = h('h1.room-title', { id: 'room-title' });
  const clock = h('span.clock', { 'aria-hidden': 'true' });
  const status = h('p.room-status');
  const transcript = h('div.transcript', {
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions text',
    'aria-labelledby': 'room-title',
  });
  const errorBox = h('div.error', { role: 'alert', hidden: true });
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
  const composer = h(
    'form.composer',
    { 'aria-label': 'Your answer' },
    h('label.sr-only', { for: 'answer', text: 'Your answer' }),
    textarea,
    h(
      'div.composer-row',
      {},
      h('span.muted', { id: 'answer-hint', text: 'Ctrl+Enter (⌘+Enter) sends · your answer is saved before the interviewer replies' }),
      h('span.buttons', {}, skip, finish, send),
    ),
  );
  const debriefSlot = h('div');
  const exports = h(
    'p.exports',
    {},
    h('a.button', { href: api.exportUrl(id, 'md'), download: '', text: 'Export Markdown' }),
    h('a.button', { href: api.exportUrl(id, 'json'), download: '', text: 'Export JSON' }),
  );

  clear(main).append(
    h('div.room-head', {}, heading, clock),
    status,
    transcript,
    errorBox,
    readOnly ? null : composer,
    debriefSlot,
    exports,
  );

  function render(s) {
    session = s;
    const current = s.questions[s.currentPosition];
    heading.textContent =
      s.status === 'finished'
        ? `Replay · ${s.loop}`
        : `Question ${s.currentPosition + 1} of ${s.questionCount} · ${label(current?.category)}`;
    status.textContent = `${s.loop} · started ${fmtDate(s.createdAt)} · ${s.provider === 'offline' ? 'offline interviewer and grader' : `model ${s.model}`}${s.tokens.prompt + s.tokens.completion ? ` · ${s.tokens.prompt + s.tokens.completion} tokens` : ''}`;
    clear(transcript);
    const byQuestion = new Map(s.questions.map((q) => [q.id, q]));
    const lastOf = new Map();
    s.messages.forEach((m, i) => m.sessionQuestionId !== null && lastOf.set(m.sessionQuestionId, i));
    s.messages.forEach((m, i) => {
      const q = byQuestion.get(m.sessionQuestionId);
      // feedback goes before the interviewer message that moves on from the graded question
      if (m.kind === 'question' || m.kind === 'closing') {
        const prev = s.questions.find((x) => x.grade && lastOf.get(x.id) === i - 1);
        if (prev) transcript.append(feedbackCard(prev, ctx.rubrics.get(prev.rubricId)));
      }
      if (m.kind === 'question' && q)
        transcript.append(
          h('p.q-marker', {
            text: `Question ${q.position + 1} of ${s.questionCount} · ${label(q.category)} · time box ${Math.round(q.timeBoxSeconds / 60)} min`,
          }),
        );
      transcript.append(messageEl(m));
    });
    const lastGraded = s.questions.find((x) => x.grade && lastOf.get(x.id) === s.messages.length - 1);
    if (lastGraded) transcript.append(feedbackCard(lastGraded, ctx.rubrics.get(lastGraded.rubricId)));
    clear(debriefSlot);
    if (s.debrief) debriefSlot.append(debriefView(s.debrief));
    if (s.status === 'finished') {
      composer.remove();
      clearInterval(timer);
      clock.textContent = '';
    } else {
      startTimer(current);
    }
    transcript.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }

  function startTimer(q) {
    clearInterval(timer);
    if (!q?.askedAt) return;
    const tick = () => {
      const elapsed = (Date.now() - Date.parse(q.askedAt)) / 1000;
      clock.textContent = `${fmtClock(elapsed)} / ${fmtClock(q.timeBoxSeconds)}`;
      clock.classList.toggle('over', elapsed > q.timeBoxSeconds);
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  function setBusy(on) {
    busy = on;
    for (const b of [send, skip, finish]) b.disabled = on;
    composer.setAttribute('aria-busy', String(on));
  }

  function showError(message, retry) {
    clear(errorBox).append(h('p', { text: message }), h('button.primary', { type: 'button', text: 'Retry', onclick: retry }));
    errorBox.hidden = false;
    errorBox.querySelector('button').focus();
  }

  /**
   * Runs one turn over SSE; the interviewer's words appear as they are written. Each turn has its
   * own Idempotency-Key, and Retry sends the same request with the same key: if the first one
   * reached the server after all, the server replays its result instead of storing the answer twice.
   */
  async function turn(action, body, key = crypto.randomUUID()) {
    if (busy) return;
    setBusy(true);
    errorBox.hidden = true;
    /** @type {HTMLElement | undefined} */
    let live;
    let serverHasIt = false;
    const liveBubble = () => {
      if (!live) {
        live = h('div.text.streaming');
        transcript.append(h('article.msg.them', { dataset: { kind: 'streaming' } }, h('div.who', { text: 'Interviewer' }), live));
      }
      return live;
    };
    if (action === 'answer')
      transcript.append(messageEl({ role: 'candidate', kind: 'answer', content: body.text, createdAt: new Date().toISOString() }));
    try {
      /** @type {{ code: string, message: string } | undefined} */
      let failed;
      let finished = false;
      await streamTurn(id, action, body, key, (event, data) => {
        serverHasIt = true;
        if (event === 'token') {
          const bubble = liveBubble();
          bubble.append(data.text);
          bubble.parentElement.scrollIntoView({ block: 'nearest' });
        } else if (event === 'done') {
          finished = true;
        } else if (event === 'error') {
          failed = data;
          // The reply was cut off and not stored: its words must not stay on the page.
          if (data.discardPartial) live?.parentElement?.remove();
        }
      });
      if (failed) throw new ApiError(502, failed.code, failed.message);
      // The turn's reply is lean; the whole session (transcript, grades, debrief) is one GET away.
      if (finished) render(await api.getSession(id));
      if (action === 'answer') textarea.value = '';
      setBusy(false);
      if (session.status !== 'finished') textarea.focus();
    } catch (e) {
      setBusy(false);
      const saved = serverHasIt && action === 'answer';
      if (saved) {
        textarea.value = '';
        render(await api.getSession(id).catch(() => session));
      } else if (action === 'answer') {
        transcript.lastElementChild?.remove();
      }
      live?.parentElement?.remove();
      showError(
        saved ? `${e.message.replace(/[.!?]?$/, '.')} Your answer is saved: retry to get the interviewer's reply.` : e.message,
        () => turn(action, body, key),
      );
    }
  }

  composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = textarea.value;
    if (!text.trim()) {
      showError('Write an answer first, or skip the question.', () => textarea.focus());
      return;
    }
    // The answer names its question: if the interview has moved on meanwhile, it is refused, not misfiled.
    turn('answer', { text, position: session.currentPosition });
  });
  textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      composer.requestSubmit();
    }
  });
  skip.addEventListener('click', () => turn('skip'));
  finish.addEventListener('click', () => {
    if (confirm('Finish the loop now? Unanswered questions will not be graded.')) turn('finish');
  });

  render(session);
  if (!readOnly) {
    // a turn left open by an earlier failure can be retried straight away
    const last = session.messages.at(-1);
    if (last?.role === 'candidate' || session.questions[session.currentPosition]?.state === 'grading') {
      showError('The interviewer has not replied to your last answer yet.', () => turn('retry'));
    }
    textarea.focus();
  } else {
    heading.focus?.();
  }
  return () => clearInterval(timer);
}
