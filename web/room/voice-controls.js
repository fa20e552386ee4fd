// @ts-check
// The room's voice controls: the microphone button with its level meter, the recording waiting to be
// sent, and the switch that reads the interviewer aloud. Recording, recognition and reading are in
// ../voice.js; this wires them to the composer. The recording stays in the page until its
// transcript is sent as an answer or the candidate discards it: a failed transcription can be
// retried, and typing always works.
import { api } from '../api.js';
import { clear, fmtClock, h } from '../dom.js';
import { deliveryLine } from '../feedback.js';
import { createReader, forgetPending, keepPending, keptPending, speakingMode, startRecognition, startRecording } from '../voice.js';

/** @typedef {import('../api.js').Recording} Recording */
/** @typedef {import('../api.js').BrowserSpeech} BrowserSpeech */
/**
 * A recording not sent yet, as this browser keeps it (IndexedDB) between reloads.
 * @typedef {{ blob?: Blob, url?: string, durationMs?: number, recording?: Recording, speech?: BrowserSpeech, position: number }} Pending
 */

/**
 * @param {{ id: string, voice: import('../api.js').Voice, composer: import('./composer.js').Composer, position: () => number }} room
 *   the session, what the server offers for voice, the composer to mount in, and the question the interview is on
 */
export function createVoiceControls({ id, voice, composer, position }) {
  const { textarea } = composer;
  const speaking = speakingMode(voice);
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
  const reader = createReader(voice);
  const readAloud = h('input', { type: 'checkbox', id: 'read-aloud', checked: reader.on, disabled: !reader.available });
  const readAloudLabel = h(
    'label.read-aloud',
    { for: 'read-aloud', title: voice.speech ? `Voice: ${voice.speech.model}` : 'The browser reads with its own voice' },
    readAloud,
    ' Read the interviewer aloud',
  );
  composer.mount({ above: [pendingBox], tools: [mic, meter], below: [voiceStatus, voiceNote] });

  /** @type {Pending | null} */
  let pending = null;
  /** @type {{ stop: () => Promise<any>, cancel: () => void, started: number } | null} */
  let recording = null;
  let pressedAt = 0;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let tick;

  /** What the answer carries of its recording: the server's transcript id, or the browser's transcript. */
  function spokenPart() {
    if (!pending || pending.position !== position()) return {};
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

  /**
   * The recording waiting to be sent: play it back, retry its transcription, or discard it.
   * @param {string} message
   * @param {boolean} canRetry
   */
  function showPending(message, canRetry) {
    clear(pendingBox).hidden = false;
    pendingBox.append(h('p', { text: message }));
    // A transcript from the browser's recogniser has no audio to play back.
    if (pending?.url) pendingBox.append(h('audio', { controls: true, src: pending.url, 'aria-label': 'Your recording, not sent yet' }));
    pendingBox.append(
      h(
        'span.buttons',
        {},
        canRetry ? h('button.primary', { type: 'button', text: 'Retry transcription', onclick: () => transcribeNow() }) : null,
        h('button', { type: 'button', text: 'Discard recording', onclick: () => discard() }),
      ),
    );
  }

  /**
   * The transcript goes into the answer box; anything already typed there stays, above it.
   * @param {string} text
   * @param {Recording['delivery']} [delivery]
   */
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
    mic.disabled = true;
    composer.holdSend(true);
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
      mic.disabled = composer.busy;
      composer.holdSend(false);
    }
  }

  async function discard() {
    const rec = pending?.recording;
    if (rec && textarea.value.trim() === rec.transcript.trim()) textarea.value = '';
    clearPending();
    voiceStatus.textContent = 'Recording discarded.';
    if (rec) await api.discardRecording(id, rec.id).catch(() => {});
  }

  /** @param {boolean} on */
  function recordingUi(on) {
    mic.setAttribute('aria-pressed', String(on));
    mic.textContent = on ? 'Stop' : 'Speak';
    mic.classList.toggle('recording', on);
    meter.hidden = !on;
    clearInterval(tick);
    if (on) {
      const limit = voice.maxAudioSeconds;
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
    if (recording || composer.busy) return;
    if (pending && !confirm('Replace the recording you have not sent yet?')) return;
    if (pending) await discard();
    composer.hideError();
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
    const at = position();
    try {
      if (speaking.mode === 'server') {
        const { blob, durationMs } = await r.stop();
        pending = { blob, durationMs, url: URL.createObjectURL(blob), position: at };
        void keepPending(id, pending);
        await transcribeNow();
      } else {
        const speech = await r.stop();
        pending = { speech, position: at };
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
  /** @param {KeyboardEvent} ev */
  const onKey = (ev) => {
    if (ev.key === 'Escape' && recording) {
      ev.preventDefault();
      cancelRecording();
    }
  };
  document.addEventListener('keydown', onKey);
  readAloud.addEventListener('change', () => (reader.on = readAloud.checked));

  return {
    readAloudLabel,
    /** Reads the interviewer aloud, when switched on. */
    reader,
    spokenPart,
    clearPending,

    /** A recording made here before a reload, not sent yet: offered again as it was left. */
    async restore() {
      const kept = await keptPending(id);
      if (kept && kept.position === position() && !pending) {
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
    },

    stop() {
      clearInterval(tick);
      document.removeEventListener('keydown', onKey);
      recording?.cancel();
      reader.stop();
    },
  };
}
