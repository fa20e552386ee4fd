// @ts-check
// The HTTP API, as the page uses it. Errors keep the server's { error: { code, message } }.

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

async function call(method, path, body) {
  let res;
  try {
    // Every request that changes something says it is JSON: the server refuses forms and text/plain posts.
    res = await fetch(path, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
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
  health: () => call('GET', '/api/health'),
  me: () => call('GET', '/api/me'),
  login: (token) => call('POST', '/api/login', { token }),
  logout: () => call('POST', '/api/logout'),
  /** Readiness: 503 still carries the reasons, so it is read, not thrown. */
  ready: () =>
    fetch('/api/ready')
      .then((r) => r.json())
      .catch(() => ({ ready: false, database: { ok: false }, model: { ok: false, reason: 'The mockloop server did not answer' } })),
  facets: () => call('GET', '/api/questions/facets'),
  rubrics: () => call('GET', '/api/rubrics'),
  sessionDefaults: () => call('GET', '/api/sessions/defaults'),
  createSession: (body) => call('POST', '/api/sessions', body),
  listSessions: (limit = 100) => call('GET', `/api/sessions?limit=${limit}`),
  getSession: (id) => call('GET', `/api/sessions/${encodeURIComponent(id)}`),
  deleteSession: (id) => call('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
  progress: () => call('GET', '/api/progress'),
  exportUrl: (id, format) => `/api/sessions/${encodeURIComponent(id)}/export?format=${format}`,
  voice: () => call('GET', '/api/voice'),
  /** Sends a recording to be transcribed; the transcript comes back for the candidate to confirm. */
  transcribe: async (id, blob, durationMs, position) => {
    const form = new FormData();
    const ext = (blob.type.split('/')[1] ?? 'webm').split(';')[0];
    form.set('audio', new File([blob], `answer.${ext}`, { type: blob.type }));
    form.set('durationMs', String(Math.round(durationMs)));
    form.set('position', String(position));
    let res;
    try {
      res = await fetch(`/api/sessions/${encodeURIComponent(id)}/answer/audio`, { method: 'POST', body: form });
    } catch {
      throw new ApiError(0, 'network', 'Could not reach the mockloop server. Your recording is kept: retry, or type your answer.');
    }
    if (!res.ok) throw await failure(res);
    return res.json();
  },
  discardRecording: (id, recordingId) =>
    call('DELETE', `/api/sessions/${encodeURIComponent(id)}/recordings/${encodeURIComponent(recordingId)}`),
  /** The interviewer's words as audio from the server's speech model. */
  speech: async (text) => {
    const res = await fetch('/api/speech', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (!res.ok) throw await failure(res);
    return res.blob();
  },
};

/**
 * Runs a turn (answer, retry, skip, finish) over Server-Sent Events, with an Idempotency-Key.
 * `on` receives each event (token, message, grade, done, error) as it arrives. Resolves when the
 * stream ends.
 */
export async function streamTurn(id, action, body, key, on) {
  let res;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'idempotency-key': key, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the mockloop server. Your answer is still in the box: try again.');
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) throw await failure(res);
  const reader = res.body.getReader();
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
      if (data.length) on(event, JSON.parse(data.join('\n')));
    }
  }
}
