// @ts-check
// The interview room, put together from its parts: the transcript (room/transcript.js) with its
// feedback cards placed by room/placement.js, the composer (room/composer.js) with the voice
// controls mounted in it (room/voice-controls.js), the clock, the editor of a coding question
// (room/coding.js, loaded when one comes up), and the debrief at the end. It runs the turns. A
// finished session opens here read-only: the replay.
import { api, ApiError, streamTurn } from './api.js';
import { debriefView } from './feedback.js';
import { tailoringSummary } from './views/tailor.js';
import { clear, fmtClock, fmtDate, h, label } from './dom.js';
import { createComposer } from './room/composer.js';
import { timeline } from './room/placement.js';
import { createTranscript } from './room/transcript.js';
import { createVoiceControls } from './room/voice-controls.js';

/** @typedef {import('./api.js').Session} Session */

/**
 * @param {HTMLElement} main
 * @param {string} id
 * @param {import('./api.js').Ctx} ctx
 * @returns {Promise<(() => void) | undefined>} what to do when the candidate leaves the room
 */
export async function roomView(main, id, ctx) {
  /** @type {Session} */
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
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let timer;

  const heading = h('h1.room-title', { id: 'room-title' });
  const clock = h('span.clock', { 'aria-hidden': 'true' });
  const status = h('p.room-status');
  const who = h('p.interviewer', { dataset: { testid: 'interviewer' } });
  const pause = h(
    'p.sitting',
    { hidden: true, dataset: { testid: 'sitting' } },
    'That interview is over. You can take a break here: the loop waits in ',
    h('a', { href: '#/history', text: 'History' }),
    ' until you come back.',
  );
  const transcript = createTranscript();
  const composer = readOnly
    ? null
    : createComposer({
        // The answer names its question: if the interview has moved on meanwhile, it is refused, not misfiled.
        answer: (text) => turn('answer', { text, position: session.currentPosition, ...voice?.spokenPart() }),
        skip: () => turn('skip'),
        finish: () => turn('finish'),
      });
  const voice = composer && createVoiceControls({ id, voice: ctx.voice, composer, position: () => session.currentPosition });
  const codingSlot = h('div.coding-slot');
  /** @typedef {{ id: number, panel?: import('./room/coding.js').CodingPanel }} Shown */
  /** @type {Shown | undefined} */
  let coding;
  // Under the answer box of a coding question: where the approach and its complexity go.
  const codeHint = h('p.code-hint', { id: 'code-hint', hidden: true, dataset: { testid: 'code-hint' } });
  if (composer) {
    composer.mount({ above: [codeHint], tools: [], below: [] });
    composer.textarea.setAttribute('aria-describedby', 'answer-hint code-hint');
  }
  const debriefSlot = h('div');
  const exports = h(
    'p.exports',
    {},
    h('a.button', { href: api.exportUrl(id, 'md'), download: '', text: 'Export Markdown' }),
    h('a.button', { href: api.exportUrl(id, 'json'), download: '', text: 'Export JSON' }),
  );

  clear(main).append(
    ...[
      h('div.room-head', {}, heading, voice?.readAloudLabel, clock),
      who,
      status,
      tailoringSummary(session.tailoring, session.request),
      transcript.el,
      codingSlot,
      pause,
      composer?.errorBox,
      composer?.form,
      debriefSlot,
      exports,
    ].filter((el) => el !== undefined && el !== null),
  );

  /** @param {Session} s */
  function render(s) {
    session = s;
    const current = s.questions[s.currentPosition];
    const interview = s.plan && current?.interview != null ? s.plan.interviews[current.interview] : undefined;
    heading.textContent =
      s.status === 'finished'
        ? `Replay · ${s.loop}`
        : interview && s.plan
          ? `Interview ${(current?.interview ?? 0) + 1} of ${s.plan.interviews.length} · ${interview.interviewer.name}`
          : `Question ${s.currentPosition + 1} of ${s.questionCount} · ${label(current?.category)}`;
    who.textContent =
      interview && s.status !== 'finished'
        ? `${interview.interviewer.name}, ${interview.interviewer.role}${interview.interviewer.barRaiser ? ' · Bar Raiser' : ''} · owns ${[...interview.principles, ...(interview.area ? [label(interview.area)] : [])].join(', ')} · question ${s.currentPosition + 1} of ${s.questionCount}`
        : '';
    // Between two interviews the candidate may stop: the loop waits in History.
    const between = interview && current && current.interview && interview.positions[0] === current.position && !current.answeredAt;
    pause.hidden = !between || s.status === 'finished';
    status.textContent = `${s.loop} · started ${fmtDate(s.createdAt)} · ${s.provider === 'offline' ? 'offline interviewer and grader' : `model ${s.model}`}${s.tokens.prompt + s.tokens.completion ? ` · ${s.tokens.prompt + s.tokens.completion} tokens` : ''}`;
    transcript.show(timeline(s, ctx.rubrics));
    showCoding(s.status === 'finished' ? undefined : current);
    clear(debriefSlot);
    if (s.debrief) debriefSlot.append(debriefView(s.debrief));
    if (s.status === 'finished') {
      composer?.form.remove();
      clearInterval(timer);
      clock.textContent = '';
    } else {
      startTimer(current);
    }
    transcript.el.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }

  /**
   * The problem and the editor while the current question is a coding one; the editor's modules
   * load the first time one comes up.
   * @param {Session['questions'][number] | undefined} q
   */
  function showCoding(q) {
    const problem = q?.coding;
    if (coding && coding.id === q?.id && problem) return;
    coding?.panel?.destroy();
    coding = undefined;
    clear(codingSlot);
    codeHint.hidden = !problem;
    if (!q || !problem) return;
    /** @type {Shown} */
    const mine = { id: q.id };
    coding = mine;
    codeHint.textContent =
      'Talk through your approach here as you code. After Submit, explain your approach and its time and space complexity.';
    import('./room/coding.js')
      .then(({ createCodingPanel }) => {
        if (coding !== mine) return;
        mine.panel = createCodingPanel({
          sessionId: id,
          questionId: String(q.id),
          coding: problem,
          onSubmitted: () => {
            codeHint.textContent =
              'Your solution ran on all the tests. Now explain your approach, its time and space complexity, and the edge cases you thought of, then Send.';
            composer?.textarea.focus();
          },
        });
        codingSlot.append(mine.panel.el);
      })
      .catch((e) => {
        codingSlot.append(h('p.error', { role: 'alert', text: `The code editor could not load: ${e.message}` }));
      });
  }

  /** @param {Session['questions'][number] | undefined} q */
  function startTimer(q) {
    clearInterval(timer);
    if (!q?.askedAt) return;
    const askedAt = Date.parse(q.askedAt);
    const box = q.timeBoxSeconds;
    const tick = () => {
      const elapsed = (Date.now() - askedAt) / 1000;
      clock.textContent = `${fmtClock(elapsed)} / ${fmtClock(box)}`;
      clock.classList.toggle('over', elapsed > box);
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  /**
   * Runs one turn over SSE; the interviewer's words appear as they are written. Each turn has its
   * own Idempotency-Key, and Retry sends the same request with the same key: if the first one
   * reached the server after all, the server replays its result instead of storing the answer twice.
   * @param {import('./api.js').TurnAction} action
   * @param {import('./api.js').AnswerBody} [body]
   * @returns {Promise<void>}
   */
  async function turn(action, body, key = crypto.randomUUID(), handoverTries = 0) {
    if (!composer || !voice || composer.busy) return;
    composer.setBusy(true);
    composer.hideError();
    /** @type {ReturnType<typeof transcript.stream> | undefined} */
    let live;
    let serverHasIt = false;
    let streamedWords = false;
    const draft = action === 'answer' && body ? transcript.addDraft(body.text) : undefined;
    try {
      /** @type {{ code: string, message: string } | undefined} */
      let failed;
      let finished = false;
      /** @type {{ message: string, retryAfter: number } | undefined} */
      let handedOver;
      await streamTurn(id, action, body, key, (event, data) => {
        serverHasIt = true;
        if (event === 'token') {
          live ??= transcript.stream();
          live.append(data.text);
          voice.reader.feed(data.text);
          streamedWords = true;
        } else if (event === 'message') {
          // A message written in one piece (not streamed) is read whole; a streamed one, what is left of it.
          if (streamedWords) voice.reader.flush();
          else voice.reader.say(data.content);
          streamedWords = false;
        } else if (event === 'done') {
          finished = true;
        } else if (event === 'handover') {
          // The server is restarting: the answer is saved; another server completes the turn.
          handedOver = data;
        } else if (event === 'error') {
          failed = data;
          // The reply was cut off and not stored: its words must not stay on the page.
          if (data.discardPartial) live?.remove();
        }
      }).catch((e) => {
        if (!handedOver) throw e;
      });
      if (handedOver && handoverTries < 10) {
        const { message, retryAfter } = handedOver;
        live?.remove();
        draft?.remove();
        status.textContent = message;
        await new Promise((r) => setTimeout(r, retryAfter * 1000));
        composer.setBusy(false);
        // The same request with the same key: the reply of the turn another server completed.
        return turn(action, body, key, handoverTries + 1);
      }
      if (failed) throw new ApiError(502, failed.code, failed.message);
      // The turn's reply is lean; the whole session (transcript, grades, debrief) is one GET away.
      if (finished) render(await api.getSession(id));
      if (action === 'answer') {
        composer.textarea.value = '';
        voice.clearPending();
      }
      composer.setBusy(false);
      if (session.status !== 'finished') composer.textarea.focus();
    } catch (e) {
      composer.setBusy(false);
      // Handed over, and the other server is still writing the reply: ask again in a moment.
      if (handoverTries > 0 && handoverTries < 10 && e.code === 'conflict') {
        await new Promise((r) => setTimeout(r, 3000));
        return turn(action, body, key, handoverTries + 1);
      }
      const saved = serverHasIt && action === 'answer';
      if (saved) {
        composer.textarea.value = '';
        voice.clearPending();
        render(await api.getSession(id).catch(() => session));
      } else {
        draft?.remove();
      }
      live?.remove();
      composer.showError(
        saved ? `${e.message.replace(/[.!?]?$/, '.')} Your answer is saved: retry to get the interviewer's reply.` : e.message,
        () => turn(action, body, key),
      );
    }
  }

  render(session);
  if (composer && voice) {
    await voice.restore();
    // a turn left open by an earlier failure can be retried straight away
    const last = session.messages.at(-1);
    if (last?.role === 'candidate' || session.questions[session.currentPosition]?.state === 'grading') {
      composer.showError('The interviewer has not replied to your last answer yet.', () => turn('retry'));
    }
    composer.textarea.focus();
  } else {
    heading.focus();
  }
  return () => {
    clearInterval(timer);
    coding?.panel?.destroy();
    voice?.stop();
  };
}
