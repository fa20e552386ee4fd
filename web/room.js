// @ts-check
// The interview room: transcript, streaming replies, timer, composer, feedback cards, debrief.
// A finished session opens here read-only: the replay.
import { api, ApiError, streamTurn } from './api.js';
import { deliveryLine, debriefView, feedbackCard } from './feedback.js';
import { clear, fmtClock, fmtDate, h, label, markdown } from './dom.js';
import { createReader, forgetPending, keepPending, keptPending, speakingMode, startRecognition, startRecording } from './voice.js';

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
  const spoken = m.spoken
    ? h(
        'div.spoken',
        { dataset: { testid: 'spoken' } },
        h('span.tag', { text: m.spoken.source === 'browser' ? 'spoken · browser recognition' : 'spoken' }),
        ' ',
        deliveryLine(m.spoken.delivery),
        m.spoken.audioUrl ? h('audio', { controls: true, preload: 'none', src: m.spoken.audioUrl, 'aria-label': 'Your recording' }) : null,
      )
    : null;
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
    spoken,
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
  const speaking = speakingMode(ctx.voice);
  const mic = h('button.mic', {
    type: 'button',
    'aria-pressed': 'false',
    'aria-describedby': 'voice-note',
    text: 'Speak',
    hidden: speaking.mode === 'none',
    title: 'Press and hold to talk, or click to start and click again to stop; Esc cancels',
  });
  const level = h('span.level-bar');
  const meter = h('span.level', { hidden: true, role: 'img', 'aria-label': 'Microphone level' }, level);
  const voiceStatus = h('p.voice-status', { role: 'status', 'aria-live': 'polite' });
  const voiceNote = h('p.voice-note.muted', { id: 'voice-note', text: speaking.note });
  const pendingBox = h('div.voice-pending', { hidden: true, dataset: { testid: 'recording' } });
  const reader = createReader(ctx.voice);
  const readAloud = h('input', { type: 'checkbox', id: 'read-aloud', checked: reader.on, disabled: !reader.available });
  const readAloudLabel = h(
    'label.read-aloud',
    { for: 'read-aloud', title: ctx.voice.speech ? `Voice: ${ctx.voice.speech.model}` : 'The browser reads with its own voice' },
    readAloud,
    ' Read the interviewer aloud',
  );
  const skip = h('button', { type: 'button', text: 'Skip question' });
  const finish = h('button', { type: 'button', text: 'Finish loop' });
  const composer = h(
    'form.composer',
    { 'aria-label': 'Your answer' },
    h('label.sr-only', { for: 'answer', text: 'Your answer' }),
    pendingBox,
    textarea,
    h(
      'div.composer-row',
      {},
      h('span.muted', { id: 'answer-hint', text: 'Ctrl+Enter (⌘+Enter) sends · your answer is saved before the interviewer replies' }),
      h('span.buttons', {}, mic, meter, skip, finish, send),
    ),
    voiceStatus,
    voiceNote,
  );
  const debriefSlot = h('div');
  const exports = h(
    'p.exports',
    {},
    h('a.button', { href: api.exportUrl(id, 'md'), download: '', text: 'Export Markdown' }),
    h('a.button', { href: api.exportUrl(id, 'json'), download: '', text: 'Export JSON' }),
  );

  clear(main).append(
    h('div.room-head', {}, heading, readOnly ? null : readAloudLabel, clock),
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
        if (prev) transcript.append(feedbackCard(prev, ctx.rubrics.get(prev.rubricId), spokenOf(s, prev)));
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
    if (lastGraded) transcript.append(feedbackCard(lastGraded, ctx.rubrics.get(lastGraded.rubricId), spokenOf(s, lastGraded)));
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
    for (const b of [send, skip, finish, mic]) b.disabled = on;
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
  async function turn(action, body, key = crypto.randomUUID(), handoverTries = 0) {
    if (busy) return;
    setBusy(true);
    errorBox.hidden = true;
    /** @type {HTMLElement | undefined} */
    let live;
    let serverHasIt = false;
    let streamedWords = false;
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
      /** @type {{ message: string, retryAfter: number } | undefined} */
      let handedOver;
      await streamTurn(id, action, body, key, (event, data) => {
        serverHasIt = true;
        if (event === 'token') {
          const bubble = liveBubble();
          bubble.append(data.text);
          reader.feed(data.text);
          streamedWords = true;
          bubble.parentElement.scrollIntoView({ block: 'nearest' });
        } else if (event === 'message') {
          // A message written in one piece (not streamed) is read whole; a streamed one, what is left of it.
          if (streamedWords) reader.flush();
          else reader.say(data.content);
          streamedWords = false;
        } else if (event === 'done') {
          finished = true;
        } else if (event === 'handover') {
          // The server is restarting: the answer is saved; another server completes the turn.
          handedOver = data;
        } else if (event === 'error') {
          failed = data;
          // The reply was cut off and not stored: its words must not stay on the page.
          if (data.discardPartial) live?.parentElement?.remove();
        }
      }).catch((e) => {
        if (!handedOver) throw e;
      });
      if (handedOver && handoverTries < 10) {
        live?.parentElement?.remove();
        if (action === 'answer') transcript.lastElementChild?.remove();
        status.textContent = handedOver.message;
        await new Promise((r) => setTimeout(r, handedOver.retryAfter * 1000));
        setBusy(false);
        // The same request with the same key: the reply of the turn another server completed.
        return turn(action, body, key, handoverTries + 1);
      }
      if (failed) throw new ApiError(502, failed.code, failed.message);
      // The turn's reply is lean; the whole session (transcript, grades, debrief) is one GET away.
      if (finished) render(await api.getSession(id));
      if (action === 'answer') {
        textarea.value = '';
        clearPending();
      }
      setBusy(false);
      if (session.status !== 'finished') textarea.focus();
    } catch (e) {
      setBusy(false);
      // Handed over, and the other server is still writing the reply: ask again in a moment.
      if (handoverTries > 0 && handoverTries < 10 && e.code === 'conflict') {
        await new Promise((r) => setTimeout(r, 3000));
        return turn(action, body, key, handoverTries + 1);
      }
      const saved = serverHasIt && action === 'answer';
      if (saved) {
        textarea.value = '';
        clearPending();
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
    turn('answer', { text, position: session.currentPosition, ...spokenPart() });
  });
  textarea.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      composer.requestSubmit();
    }
  });
  // -------------------------------------------------------------------------------------------
  // Speaking an answer. The recording stays in the page until its transcript is sent as an answer
  // or the candidate discards it: a failed transcription can be retried, and typing always works.

  /** @type {{ blob?: Blob, url?: string, durationMs?: number, recording?: any, speech?: any, position: number } | null} */
  let pending = null;
  /** @type {{ stop: () => Promise<any>, cancel: () => void, started: number } | null} */
  let recording = null;
  let pressedAt = 0;
  let tick;

  /** What the answer carries of its recording: the server's transcript id, or the browser's transcript. */
  function spokenPart() {
    if (!pending || pending.position !== session.currentPosition) return {};
    if (pending.recording) return { recordingId: pending.recording.id };
    if (pending.speech) return { speech: pending.speech };
    return {};
  }

  function clearPending() {
    if (pending?.url) URL.revokeObjectURL(pending.url);
    if (pending) void forgetPending(id);
    pending = null;
    clear(pendingBox).hidden = true;
  }

  /** The recording waiting to be sent: play it back, retry its transcription, or discard it. */
  function showPending(message, canRetry) {
    clear(pendingBox).hidden = false;
    pendingBox.append(
      h('p', { text: message }),
      pending?.url ? h('audio', { controls: true, src: pending.url, 'aria-label': 'Your recording, not sent yet' }) : null,
      h(
        'span.buttons',
        {},
        canRetry ? h('button.primary', { type: 'button', text: 'Retry transcription', onclick: () => transcribeNow() }) : null,
        h('button', { type: 'button', text: 'Discard recording', onclick: () => discard() }),
      ),
    );
  }

  /** The transcript goes into the answer box; anything already typed there stays, above it. */
  function useTranscript(text, delivery) {
    textarea.value = textarea.value.trim() ? `${textarea.value.trimEnd()}\n\n${text}` : text;
    showPending(
      `Transcript of your recording below${delivery ? ` (${deliveryLine(delivery)})` : ''}: correct it if needed, then Send.`,
      false,
    );
    voiceStatus.textContent = '';
    textarea.focus();
  }

  async function transcribeNow() {
    const p = pending;
    if (!p?.blob) return;
    voiceStatus.textContent = 'Transcribing your recording…';
    // Sending now would answer without the recording: wait for its transcript.
    for (const b of [mic, send]) b.disabled = true;
    try {
      const recording = await api.transcribe(id, p.blob, p.durationMs, p.position);
      if (pending !== p) return void api.discardRecording(id, recording.id).catch(() => {}); // discarded meanwhile
      p.recording = recording;
      void keepPending(id, p);
      useTranscript(recording.transcript, recording.delivery);
    } catch (e) {
      voiceStatus.textContent = '';
      if (pending === p) showPending(`${e.message}`, true);
    } finally {
      for (const b of [mic, send]) b.disabled = busy;
    }
  }

  async function discard() {
    const rec = pending?.recording;
    if (rec && textarea.value.trim() === rec.transcript.trim()) textarea.value = '';
    clearPending();
    voiceStatus.textContent = 'Recording discarded.';
    if (rec) await api.discardRecording(id, rec.id).catch(() => {});
  }

  function recordingUi(on) {
    mic.setAttribute('aria-pressed', String(on));
    mic.textContent = on ? 'Stop' : 'Speak';
    mic.classList.toggle('recording', on);
    meter.hidden = !on;
    clearInterval(tick);
    if (on) {
      const limit = ctx.voice.maxAudioSeconds;
      const show = () => {
        const seconds = (performance.now() - (recording?.started ?? performance.now())) / 1000;
        voiceStatus.textContent = `Recording ${fmtClock(seconds)} — release or click Stop to finish · Esc cancels`;
        if (seconds >= limit) void end();
      };
      show();
      tick = setInterval(show, 500);
    }
  }

  async function begin() {
    if (recording || busy) return;
    if (pending && !confirm('Replace the recording you have not sent yet?')) return;
    if (pending) await discard();
    errorBox.hidden = true;
    try {
      recording =
        speaking.mode === 'server'
          ? await startRecording((x) => (level.style.width = `${Math.round(x * 100)}%`))
          : startRecognition(() => void end());
      recordingUi(true);
    } catch (e) {
      recording = null;
      voiceStatus.textContent = e.message;
    }
  }

  async function end() {
    const r = recording;
    if (!r) return;
    recording = null;
    recordingUi(false);
    const position = session.currentPosition;
    try {
      if (speaking.mode === 'server') {
        const { blob, durationMs } = await r.stop();
        pending = { blob, durationMs, url: URL.createObjectURL(blob), position };
        void keepPending(id, pending);
        await transcribeNow();
      } else {
        const speech = await r.stop();
        pending = { speech, position };
        void keepPending(id, pending);
        useTranscript(speech.transcript);
      }
    } catch (e) {
      voiceStatus.textContent = e.message;
    }
  }

  function cancelRecording() {
    recording?.cancel();
    recording = null;
    recordingUi(false);
    voiceStatus.textContent = 'Recording cancelled: nothing was kept.';
  }

  // Press and hold to talk, or click to start and click again to stop (keyboard: Enter or Space).
  mic.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    if (recording) void end();
    else {
      pressedAt = performance.now();
      void begin();
    }
  });
  mic.addEventListener('pointerup', () => {
    if (recording && pressedAt && performance.now() - pressedAt > 600) void end();
    pressedAt = 0;
  });
  mic.addEventListener('click', (ev) => {
    if (ev.detail !== 0) return; // a pointer click was handled above
    if (recording) void end();
    else void begin();
  });
  const onKey = (ev) => {
    if (ev.key === 'Escape' && recording) {
      ev.preventDefault();
      cancelRecording();
    }
  };
  document.addEventListener('keydown', onKey);
  readAloud.addEventListener('change', () => (reader.on = readAloud.checked));

  skip.addEventListener('click', () => turn('skip'));
  finish.addEventListener('click', () => {
    if (confirm('Finish the loop now? Unanswered questions will not be graded.')) turn('finish');
  });

  render(session);
  if (!readOnly) {
    // A recording made here before a reload, not sent yet: offered again as it was left.
    const kept = await keptPending(id);
    if (kept && kept.position === session.currentPosition && !pending) {
      pending = { ...kept, url: kept.blob ? URL.createObjectURL(kept.blob) : undefined };
      if (kept.recording || kept.speech) {
        const text = kept.recording?.transcript ?? kept.speech.transcript;
        if (!textarea.value.includes(text)) textarea.value = text;
        showPending('Your last recording was not sent: its transcript is below. Correct it if needed, then Send, or discard it.', false);
      } else {
        showPending('Your last recording was not transcribed yet.', true);
      }
    } else if (kept) {
      void forgetPending(id);
    }
    // a turn left open by an earlier failure can be retried straight away
    const last = session.messages.at(-1);
    if (last?.role === 'candidate' || session.questions[session.currentPosition]?.state === 'grading') {
      showError('The interviewer has not replied to your last answer yet.', () => turn('retry'));
    }
    textarea.focus();
  } else {
    heading.focus?.();
  }
  return () => {
    clearInterval(timer);
    clearInterval(tick);
    document.removeEventListener('keydown', onKey);
    recording?.cancel();
    reader.stop();
  };
}

/** The spoken answers to a question, for its feedback card. */
function spokenOf(s, q) {
  return s.messages.filter((m) => m.sessionQuestionId === q.id && m.spoken).map((m) => m.spoken);
}
