// @ts-check
// Voice in the room: recording an answer (MediaRecorder, with a level meter), the browser's own
// speech recognition where the server has no transcription model, and reading the interviewer
// aloud (the server's speech model, or the browser's speechSynthesis).
import { api } from './api.js';

/** @returns {any} the browser's SpeechRecognition constructor, if it has one */
const Recognition = () => /** @type {any} */ (window).SpeechRecognition ?? /** @type {any} */ (window).webkitSpeechRecognition;

// Outside a secure context (https or localhost) the browser has no mediaDevices at all.
const canRecord = () => typeof navigator.mediaDevices?.getUserMedia === 'function' && typeof window.MediaRecorder === 'function';

/**
 * How the candidate can speak here: `server` (record, the server transcribes), `browser` (the
 * browser's recogniser, which may send audio to its vendor) or `none`, with the reason to show.
 * @param {{ transcription: { model: string } | null }} voice what the server offers (GET /api/voice)
 */
export function speakingMode(voice) {
  if (voice.transcription && canRecord()) return { mode: 'server', note: `Transcribed on this server (${voice.transcription.model}).` };
  if (Recognition()) {
    return {
      mode: 'browser',
      note: voice.transcription
        ? 'This browser cannot record audio for the server, so its own speech recognition is used instead: it may send your audio to the browser vendor (Google for Chrome).'
        : 'This server has no transcription model, so the browser’s own speech recognition is used: it may send your audio to the browser vendor (Google for Chrome).',
    };
  }
  return {
    mode: 'none',
    note: voice.transcription
      ? 'The microphone is unavailable: this browser cannot record audio here (it needs a secure page, https or localhost, and a microphone). Type your answer.'
      : 'The microphone is unavailable: this server has no transcription model (TRANSCRIPTION_BASE_URL, or the openai provider) and this browser has no speech recognition of its own. Type your answer.',
  };
}

/** Picks an audio format the recorder can make and Whisper-style servers accept. */
function recorderType() {
  for (const t of ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4']) {
    if (MediaRecorder.isTypeSupported(t)) return t;
  }
  return '';
}

/**
 * Records from the microphone until stopped or cancelled, calling `onLevel` (0–1) for the meter.
 * @param {(level: number) => void} onLevel
 */
export async function startRecording(onLevel) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  } catch (e) {
    const name = /** @type {Error} */ (e).name;
    throw new Error(
      name === 'NotAllowedError'
        ? 'The browser did not allow the microphone: allow it for this page (the icon in the address bar), or type your answer.'
        : name === 'NotFoundError'
          ? 'No microphone was found: connect one, or type your answer.'
          : `The microphone could not be opened (${name}): type your answer.`,
    );
  }
  const type = recorderType();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  /** @type {Blob[]} */
  const chunks = [];
  recorder.addEventListener('dataavailable', (e) => e.data.size && chunks.push(e.data));
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  let frame = 0;
  const meter = () => {
    analyser.getByteTimeDomainData(samples);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s - 128) / 128);
    onLevel(Math.min(1, peak * 1.5));
    frame = requestAnimationFrame(meter);
  };
  meter();
  const started = performance.now();
  recorder.start(1000);
  const release = () => {
    cancelAnimationFrame(frame);
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  return {
    started,
    /** @returns {Promise<{ blob: Blob, durationMs: number }>} the recording */
    stop: () =>
      new Promise((resolve) => {
        recorder.addEventListener(
          'stop',
          () => {
            release();
            resolve({
              blob: new Blob(chunks, { type: recorder.mimeType || type || 'audio/webm' }),
              durationMs: performance.now() - started,
            });
          },
          { once: true },
        );
        recorder.stop();
      }),
    cancel: () => {
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    },
  };
}

/**
 * The browser's own recogniser: final phrases with the time each was heard, so pace and pauses
 * can be measured roughly. Resolves on stop with the transcript; rejects with a clear message.
 * `onEnded` is called when the recogniser stops by itself (an error, or the browser's own limit).
 * @param {() => void} onEnded
 */
export function startRecognition(onEnded) {
  const recognition = new (Recognition())();
  recognition.continuous = true;
  recognition.interimResults = false;
  recognition.lang = document.documentElement.lang || 'en-US';
  const started = performance.now();
  /** @type {Array<{ start: number, end: number, text: string }>} */
  const segments = [];
  let lastEnd = 0;
  /** @type {string | undefined} */
  let failure;
  let cancelled = false;
  recognition.addEventListener('speechstart', () => (lastEnd = Math.max(lastEnd, (performance.now() - started) / 1000)));
  recognition.addEventListener('result', (/** @type {any} */ e) => {
    const now = (performance.now() - started) / 1000;
    for (let i = e.resultIndex; i < e.results.length; i++) {
      if (!e.results[i].isFinal) continue;
      const text = e.results[i][0].transcript.trim();
      if (text) segments.push({ start: Math.min(lastEnd, now), end: now, text });
      lastEnd = now;
    }
  });
  recognition.addEventListener('error', (/** @type {any} */ e) => {
    failure =
      e.error === 'not-allowed' || e.error === 'service-not-allowed'
        ? 'The browser did not allow speech recognition here: allow the microphone, or type your answer.'
        : e.error === 'network'
          ? 'The browser’s speech recognition service could not be reached: type your answer.'
          : e.error === 'no-speech'
            ? 'No speech was heard: check the microphone and try again, or type your answer.'
            : `The browser’s speech recognition failed (${e.error}): type your answer.`;
  });
  let stopping = false;
  const ended = new Promise((resolve) =>
    recognition.addEventListener(
      'end',
      () => {
        resolve(undefined);
        if (!stopping && !cancelled) onEnded();
      },
      { once: true },
    ),
  );
  recognition.start();
  return {
    started,
    /** @returns {Promise<{ transcript: string, durationSeconds: number, segments: typeof segments }>} */
    stop: async () => {
      stopping = true;
      recognition.stop();
      await ended;
      if (cancelled) throw new Error('cancelled');
      const transcript = segments.map((s) => s.text).join(' ');
      if (!transcript) throw new Error(failure ?? 'No speech was heard: check the microphone and try again, or type your answer.');
      return { transcript, durationSeconds: Math.round((performance.now() - started) / 100) / 10, segments };
    },
    cancel: () => {
      cancelled = true;
      recognition.abort();
    },
  };
}

/**
 * Reads the interviewer aloud when switched on: the server's voice when it has a speech model,
 * else the browser's. Streamed text is spoken a sentence at a time, as each sentence completes.
 * @param {{ speech: { model: string } | null }} voice
 */
export function createReader(voice) {
  const synth = window.speechSynthesis;
  let on = localStorage.getItem('mockloop.readAloud') === 'true';
  let pending = '';
  /** @type {Promise<void>} */
  let queue = Promise.resolve();
  /** @type {HTMLAudioElement | undefined} */
  let playing;
  let generation = 0;

  const playServer = async (text, gen) => {
    const blob = await api.speech(text);
    if (gen !== generation) return;
    const url = URL.createObjectURL(blob);
    playing = new Audio(url);
    await new Promise((resolve) => {
      playing?.addEventListener('ended', resolve, { once: true });
      playing?.addEventListener('error', resolve, { once: true });
      playing?.play().catch(resolve);
    });
    URL.revokeObjectURL(url);
  };
  const say = (text) => {
    const clean = text.replace(/[*_`#>]/g, '').trim();
    if (!on || !clean) return;
    const gen = generation;
    if (voice.speech) {
      queue = queue.then(() => playServer(clean, gen)).catch(() => synth?.speak(new SpeechSynthesisUtterance(clean)));
    } else if (synth) {
      synth.speak(new SpeechSynthesisUtterance(clean));
    }
  };
  return {
    available: Boolean(voice.speech || synth),
    get on() {
      return on;
    },
    set on(value) {
      on = value;
      localStorage.setItem('mockloop.readAloud', String(value));
      if (!value) this.stop();
    },
    /** A piece of streamed text: whole sentences are spoken as soon as they end. */
    feed(text) {
      pending += text;
      let cut;
      while ((cut = pending.search(/[.!?](\s|$)/)) >= 0 && cut < pending.length - 1) {
        say(pending.slice(0, cut + 1));
        pending = pending.slice(cut + 1);
      }
    },
    /** The end of a message: what is left of it is spoken. */
    flush() {
      say(pending);
      pending = '';
    },
    /** A whole message. */
    say,
    stop() {
      generation++;
      pending = '';
      synth?.cancel();
      playing?.pause();
      queue = Promise.resolve();
    },
  };
}

// A recording not yet sent survives a reload or a closed tab: it is kept in this browser's
// IndexedDB, one per session, until its transcript is sent as an answer or it is discarded.
const DB = 'mockloop-recordings';

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('pending');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** @param {'readonly' | 'readwrite'} mode @param {(store: IDBObjectStore) => IDBRequest} fn */
async function withStore(mode, fn) {
  const db = /** @type {IDBDatabase} */ (await openDb());
  try {
    return await new Promise((resolve, reject) => {
      const req = fn(db.transaction('pending', mode).objectStore('pending'));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

/** Keeps the unsent recording of a session (its audio, and its transcript once there is one). */
export const keepPending = (sessionId, pending) =>
  withStore('readwrite', (s) => s.put({ ...pending, url: undefined }, sessionId)).catch(() => {});
/** The unsent recording of a session, if this browser kept one. */
export const keptPending = (sessionId) => withStore('readonly', (s) => s.get(sessionId)).catch(() => undefined);
export const forgetPending = (sessionId) => withStore('readwrite', (s) => s.delete(sessionId)).catch(() => {});
