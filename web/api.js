// @ts-check
// The HTTP API, as the page uses it. Errors keep the server's { error: { code, message } }.

// What the server returns, typed by the server's own schemas: a change there is a type error here.
/** @typedef {import('../src/interview/schemas.js').Session} Session */
/** @typedef {import('../src/interview/schemas.js').SessionList} SessionList */
/** @typedef {import('../src/interview/schemas.js').SessionState} SessionState */
/** @typedef {import('../src/interview/schemas.js').Message} Message */
/** @typedef {import('../src/interview/schemas.js').GradeEvent} GradeEvent */
/** @typedef {Session['questions'][number]} SessionQuestion */
/** @typedef {import('zod').infer<typeof import('../src/interview/schemas.js').SessionDefaults>} SessionDefaults */
/** @typedef {import('zod').input<typeof import('../src/interview/schemas.js').CreateSession>} CreateSessionBody */
/** @typedef {import('../src/grading/grade.js').Grade} Grade */
/** @typedef {import('../src/grading/rubrics.js').Rubric} Rubric */
/** @typedef {import('../src/interview/debrief.js').Debrief} Debrief */
/** @typedef {import('../src/interview/stories.js').StoryBank} StoryBank */
/** @typedef {import('../src/interview/stories.js').Story} Story */
/** @typedef {import('../src/interview/review.js').ReviewSchedule} ReviewSchedule */
/** @typedef {import('../src/voice/schemas.js').Recording} Recording */
/** @typedef {import('../src/tailor/schema.js').ResumeUpload} ResumeUpload */
/** @typedef {import('../src/tailor/schema.js').Tailoring} Tailoring */
/** @typedef {import('zod').input<typeof import('../src/voice/schemas.js').BrowserSpeech>} BrowserSpeech */
/** @typedef {import('../src/voice/delivery.js').Delivery} Delivery */
/** @typedef {import('../src/voice/delivery.js').DeliverySummary} DeliverySummary */

// These answers' schemas are private to their route modules (src/routes/), which bring the whole
// server with them (handlers, database, Node): their shapes are repeated here.
/**
 * @typedef {{ status: 'ok' | 'degraded', provider: 'offline' | 'openai', model: string | null, grader: string,
 *   database: { ok: boolean, kind: 'sqlite' | 'postgres', questions: number } }} Health
 * @typedef {{ ok: boolean, reason?: string }} Check
 * @typedef {{ ready: boolean, database: Check, model: (Check & { checkedAt: string }) | null }} Ready
 * @typedef {{ user: { name: string }, mode: 'none' | 'token' | 'proxy', via: 'local' | 'token' | 'cookie' | 'proxy',
 *   usage: { month: string, promptTokens: number, completionTokens: number, budget: number | null } }} Me
 * @typedef {{ transcription: { model: string } | null, speech: { model: string, voice: string } | null,
 *   keepAudio: boolean, maxAudioSeconds: number, maxAudioBytes: number }} Voice
 * @typedef {Array<{ id: string, count: number }>} Facet
 * @typedef {{ categories: Facet, topics: Facet, sources: Facet }} Facets
 * @typedef {{ sessionId: string, sessionCreatedAt: string, gradedAt: string, questionId: string, category: string,
 *   rubricId: string, score: number, level: 'L4' | 'L5' | 'L6' | 'L7' | null, bar: 'below' | 'at' | 'above' | null }} ProgressPoint
 * @typedef {{ points: ProgressPoint[], delivery: Array<DeliverySummary & { sessionId: string, sessionCreatedAt: string }> }} Progress
 */

/**
 * A coding question's problem and runs (questions[i].coding), by the server's schemas.
 * @typedef {import('../src/interview/coding-view.js').CodingView} Coding
 * @typedef {import('../src/interview/coding-view.js').CodeRunView} CodeRun
 * @typedef {CodeRun['language']} CodeLanguage
 * @typedef {CodeRun['tests'][number]} TestResult
 * @typedef {Extract<TestResult, { hidden: false }>['input']} TestInput
 */

/**
 * The body of POST /api/sessions/{id}/answer (the route's AnswerBody).
 * @typedef {{ text: string, position?: number, replyTo?: number, recordingId?: string, speech?: BrowserSpeech }} AnswerBody
 */
/** @typedef {'answer' | 'retry' | 'skip' | 'finish'} TurnAction */
/**
 * An event of a turn's stream and its data, as the server sends them.
 * @typedef {['token', { text: string }]
 *   | ['message', Message]
 *   | ['grade', GradeEvent]
 *   | ['done', { session: SessionState }]
 *   | ['handover', { message: string, retryAfter: number }]
 *   | ['error', { code: string, message: string, retryable: boolean, discardPartial: boolean }]} TurnEvent
 */

/**
 * What the page learns from the server when it starts, for every view.
 * @typedef {{ rubrics: Map<string, Rubric>, health: Health | null, topics: string[], defaults: SessionDefaults, voice: Voice }} Ctx
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A response as an ApiError, with the server's code and message. */
async function failure(res) {
  const data = await res.json().catch(() => null);
  return new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? `Request failed (${res.status})`);
}

/**
 * The page key of this browser's sign-in (AUTH=token), kept in this origin's storage, which a page
 * on another port cannot write: the server believes the sign-in cookie only with it, so a cookie
 * set from another port (cookies do not keep ports apart) does not sign this page in as anyone.
 */
const PAGE_KEY = 'mockloop.pageKey';

/** The header every request of the page carries: the page key, empty when the page has none. */
function signedIn() {
  let key = '';
  try {
    key = localStorage.getItem(PAGE_KEY) ?? '';
  } catch {
    // storage refused (a locked-down browser): no key, so only bearer tokens work
  }
  return { 'x-mockloop-key': key };
}

/** @param {string | undefined} key */
function keepPageKey(key) {
  try {
    if (key) localStorage.setItem(PAGE_KEY, key);
    else localStorage.removeItem(PAGE_KEY);
  } catch {
    // see signedIn()
  }
}

async function call(method, path, body) {
  let res;
  try {
    // Every request that changes something says it is JSON: the server refuses forms and text/plain posts.
    res = await fetch(path, {
      method,
      headers: method === 'GET' ? signedIn() : { ...signedIn(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the mockloop server. Is it still running?');
  }
  if (res.status === 204) return null;
  if (!res.ok) throw await failure(res);
  return res.json().catch(() => null);
}

export const api = {
  /** @returns {Promise<Health>} */
  health: () => call('GET', '/api/health'),
  /** @returns {Promise<Me>} */
  me: () => call('GET', '/api/me'),
  /** @param {string} token @returns {Promise<void>} */
  login: async (token) => keepPageKey((await call('POST', '/api/login', { token }))?.key),
  /** @returns {Promise<void>} */
  logout: async () => {
    try {
      await call('POST', '/api/logout');
    } finally {
      keepPageKey(undefined);
    }
  },
  /**
   * Readiness: 503 still carries the reasons, so it is read, not thrown.
   * @returns {Promise<Ready>}
   */
  ready: () =>
    fetch('/api/ready')
      .then((r) => r.json())
      .catch(() => ({
        ready: false,
        database: { ok: false },
        model: { ok: false, reason: 'The mockloop server did not answer', checkedAt: new Date().toISOString() },
      })),
  /** @returns {Promise<Facets>} */
  facets: () => call('GET', '/api/questions/facets'),
  /**
   * Bank questions whose text (or reference answer) has `q`; the first ones without it.
   * @param {string} q
   * @returns {Promise<{ items: Array<{ id: string, prompt: string, category: string }>, total: number }>}
   */
  searchQuestions: (q) => call('GET', `/api/questions?${q ? `q=${encodeURIComponent(q)}&` : ''}limit=20`),
  /** @returns {Promise<{ items: Rubric[] }>} */
  rubrics: () => call('GET', '/api/rubrics'),
  /** @returns {Promise<SessionDefaults>} */
  sessionDefaults: () => call('GET', '/api/sessions/defaults'),
  /** @param {CreateSessionBody} body @returns {Promise<Session>} */
  createSession: (body) => call('POST', '/api/sessions', body),
  /** @returns {Promise<SessionList>} */
  listSessions: (limit = 100) => call('GET', `/api/sessions?limit=${limit}`),
  /** @param {string} id @returns {Promise<Session>} */
  getSession: (id) => call('GET', `/api/sessions/${encodeURIComponent(id)}`),
  /**
   * Runs the candidate's code on the current coding question's visible tests ('run') or on all of them ('submit').
   * @param {string} id @param {'run' | 'submit'} kind @param {{ language: CodeLanguage, code: string }} body
   * @returns {Promise<{ run: CodeRun }>}
   */
  code: (id, kind, body) => call('POST', `/api/sessions/${encodeURIComponent(id)}/code/${kind}`, body),
  /** @param {string} id @returns {Promise<null>} */
  deleteSession: (id) => call('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
  /** @returns {Promise<Progress>} */
  progress: () => call('GET', '/api/progress'),
  /** @returns {Promise<StoryBank>} */
  stories: () => call('GET', '/api/stories'),
  /** @param {string} id @param {string} title @returns {Promise<Story>} */
  renameStory: (id, title) => call('PATCH', `/api/stories/${encodeURIComponent(id)}`, { title }),
  /** @param {string} id @param {string} into @returns {Promise<Story>} */
  mergeStory: (id, into) => call('POST', `/api/stories/${encodeURIComponent(id)}/merge`, { into }),
  /** @param {string} id @returns {Promise<null>} */
  deleteStory: (id) => call('DELETE', `/api/stories/${encodeURIComponent(id)}`),
  /** @param {'md' | 'json'} format */
  storiesExportUrl: (format) => `/api/stories/export?format=${format}`,
  /** @returns {Promise<ReviewSchedule>} */
  review: () => call('GET', '/api/review'),
  /** @param {string} id @param {'md' | 'json'} format */
  exportUrl: (id, format) => `/api/sessions/${encodeURIComponent(id)}/export?format=${format}`,
  /** @returns {Promise<Voice>} */
  voice: () => call('GET', '/api/voice'),
  /**
   * Reads a résumé file (PDF or DOCX) into text, for the résumé box; nothing is stored.
   * @param {File} file
   * @returns {Promise<ResumeUpload>}
   */
  readResume: async (file) => {
    const form = new FormData();
    form.set('file', file);
    let res;
    try {
      res = await fetch('/api/resume', { method: 'POST', headers: signedIn(), body: form });
    } catch {
      throw new ApiError(0, 'network', 'Could not reach the mockloop server: paste the résumé text instead.');
    }
    if (!res.ok) throw await failure(res);
    return res.json();
  },
  /**
   * Sends a recording to be transcribed; the transcript comes back for the candidate to confirm.
   * @param {string} id @param {Blob} blob @param {number | undefined} durationMs as the recorder measured it, if known
   * @param {number} position
   * @returns {Promise<Recording>}
   */
  transcribe: async (id, blob, durationMs, position) => {
    const form = new FormData();
    const ext = (blob.type.split('/')[1] ?? 'webm').split(';')[0];
    form.set('audio', new File([blob], `answer.${ext}`, { type: blob.type }));
    // The server can do without it: the transcriber times the audio itself.
    if (durationMs !== undefined) form.set('durationMs', String(Math.round(durationMs)));
    form.set('position', String(position));
    let res;
    try {
      res = await fetch(`/api/sessions/${encodeURIComponent(id)}/answer/audio`, { method: 'POST', headers: signedIn(), body: form });
    } catch {
      throw new ApiError(0, 'network', 'Could not reach the mockloop server. Your recording is kept: retry, or type your answer.');
    }
    if (!res.ok) throw await failure(res);
    return res.json();
  },
  /** @param {string} id @param {string} recordingId @returns {Promise<null>} */
  discardRecording: (id, recordingId) =>
    call('DELETE', `/api/sessions/${encodeURIComponent(id)}/recordings/${encodeURIComponent(recordingId)}`),
  /**
   * The interviewer's words as audio from the server's speech model.
   * @param {string} text
   */
  speech: async (text) => {
    const res = await fetch('/api/speech', {
      method: 'POST',
      headers: { ...signedIn(), 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (!res.ok) throw await failure(res);
    return res.blob();
  },
};

/**
 * Runs a turn (answer, retry, skip, finish) over Server-Sent Events, with an Idempotency-Key.
 * `on` receives each event (token, message, grade, done, handover, error) as it arrives. Resolves
 * when the stream ends.
 * @param {string} id
 * @param {TurnAction} action
 * @param {AnswerBody | undefined} body
 * @param {string} key
 * @param {(...event: TurnEvent) => void} on
 */
export async function streamTurn(id, action, body, key, on) {
  let res;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      headers: { ...signedIn(), accept: 'text/event-stream', 'idempotency-key': key, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the mockloop server. Your answer is still in the box: try again.');
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) throw await failure(res);
  const reader = res.body?.getReader();
  if (!reader) throw new ApiError(res.status, 'error', 'The mockloop server sent an empty reply: try again.');
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) on(.../** @type {TurnEvent} */ ([event, JSON.parse(data.join('\n'))]));
    }
  }
}
