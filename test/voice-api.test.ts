import { pngBytes } from './helpers/files.js';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { body, makeApp, onPostgres, sessionsOf } from './helpers/app.js';
import { speechLikeWav } from './helpers/audio.js';
import { mock } from './helpers/openai-mock.js';

/**
 * Spoken answers through the API, with the transcription server mocked (msw) as OpenAI's
 * /audio/transcriptions answers: verbose JSON with segments, plain JSON, errors, slowness.
 */

const WHISPER = 'http://whisper.test/v1';
const VOICE_ENV = { TRANSCRIPTION_BASE_URL: WHISPER, OPENAI_TIMEOUT_MS: '1000', OPENAI_MAX_RETRIES: '0' };

const SPOKEN =
  'So, um, at my last job our checkout service kept timing out during a sale. I profiled the database calls, ' +
  'I added a cache in front of the catalogue, and I moved the emails to a queue. That reduced checkout errors by 80%, ' +
  'and, you know, I learned to load-test before every sale.';

const verbose = (text = SPOKEN, duration = 40) => ({
  task: 'transcribe',
  language: 'english',
  duration,
  text,
  segments: [
    { id: 0, start: 0, end: 12, text: text.slice(0, 90) },
    { id: 1, start: 16.5, end: 30, text: text.slice(90, 200) },
    { id: 2, start: 30.5, end: duration, text: text.slice(200) },
  ],
});

/** The transcription endpoint answers with `reply`; what it received is recorded. */
function whisper(reply: (form: FormData) => Response | Promise<Response>) {
  const received: FormData[] = [];
  mock.server.use(
    http.post(`${WHISPER}/audio/transcriptions`, async ({ request }) => {
      const form = await request.formData();
      received.push(form);
      return reply(form);
    }),
  );
  return received;
}

function audioForm(bytes: number | Uint8Array<ArrayBuffer> = 4096, fields: Record<string, string> = {}, type = 'audio/webm') {
  const form = new FormData();
  const data = typeof bytes === 'number' ? new Uint8Array(bytes).fill(7) : bytes;
  form.set('audio', new File([data], 'answer.webm', { type }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

async function behaviouralSession(env: Record<string, string> = {}) {
  const app = makeApp({ ...VOICE_ENV, ...env });
  const sessions = sessionsOf(app);
  // The LP pack's failure question: a STAR answer, so delivery splits the story's time.
  const session = { id: await sessions.start({ mix: { behavioral: 1 }, maxFollowUps: 0 }) };
  // Raw: a recording is multipart, built as the page builds it, some of them deliberately wrong.
  const upload = (form: FormData, headers: Record<string, string> = {}) =>
    app.json(`/api/sessions/${session.id}/answer/audio`, { method: 'POST', body: form, headers });
  return { ...app, sessions, session, upload };
}

describe('transcribing a spoken answer', () => {
  it('returns the transcript with delivery figures, and the confirmed (corrected) text is graded like a typed answer', async () => {
    const received = whisper(() => HttpResponse.json(verbose()));
    const { session, upload, sessions, json, deps } = await behaviouralSession();

    const t = await upload(audioForm(4096, { durationMs: '40000', position: '0' }));
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ source: 'server', transcript: SPOKEN, durationSeconds: 40, confirmed: false, audioUrl: null });
    expect(t.body.delivery.fillers.counts).toEqual(
      expect.arrayContaining([
        { filler: 'um', count: 1 },
        { filler: 'you know', count: 1 },
      ]),
    );
    // About 54 words in 40 s.
    expect(t.body.delivery.wordsPerMinute).toBeGreaterThanOrEqual(75);
    expect(t.body.delivery.wordsPerMinute).toBeLessThanOrEqual(85);
    expect(t.body.delivery.pauses).toEqual({ long: 1, longestSeconds: 4.5, thresholdSeconds: 3 });
    expect(t.body.delivery.star).not.toBeNull();
    // What the server was asked: the file, the model, timed segments, and a prompt that keeps fillers.
    expect(received).toHaveLength(1);
    expect(received[0]!.get('model')).toBe('whisper-1');
    expect(received[0]!.get('response_format')).toBe('verbose_json');
    expect(String(received[0]!.get('prompt'))).toMatch(/\bum+\b/i);
    expect((received[0]!.get('file') as File).size).toBe(4096);

    // Nothing is answered until the candidate confirms.
    expect((await sessions.get(session.id)).messages.filter((m) => m.role === 'candidate')).toEqual([]);
    const corrected = SPOKEN.replace('catalogue', 'product catalogue');
    const turn = await body(sessions.answer(session.id, { text: corrected, recordingId: t.body.id, position: 0 }), 200);
    expect(turn.grades).toHaveLength(1);

    const replay = await sessions.get(session.id);
    const answer = replay.messages.find((m) => m.kind === 'answer')!;
    expect(answer.content).toBe(corrected);
    expect(answer.spoken).toMatchObject({ id: t.body.id, confirmed: true, transcript: SPOKEN, source: 'server' });
    expect(answer.spoken!.delivery).toEqual(t.body.delivery);
    // The content grade is the same as for the same text typed: delivery is never part of it.
    const typed = sessionsOf(makeApp());
    const s2 = await typed.start({ questionIds: [replay.questions[0]!.questionId], maxFollowUps: 0 });
    const typedTurn = await body(typed.answer(s2, corrected), 200);
    expect(turn.grades[0]!.grade.score).toBe(typedTurn.grades[0]!.grade.score);
    // The debrief and Progress sum up the spoken answers.
    // One question, no follow-ups: the answer ended the loop.
    expect(turn.session.status).toBe('finished');
    const { debrief } = await sessions.get(session.id);
    expect(debrief!.delivery).toMatchObject({ spokenAnswers: 1, speakingSeconds: 40, longPauses: 1 });
    const progress = (await json('/api/progress')).body;
    expect(progress.delivery).toEqual([expect.objectContaining({ sessionId: session.id, spokenAnswers: 1 })]);
    expect(await deps.store.recording(t.body.id)).toMatchObject({ hasAudio: false });
  });

  it('asks again without timestamps when the server only does plain JSON, and estimates the STAR split from words', async () => {
    const received = whisper((form) =>
      form.get('response_format') === 'verbose_json'
        ? HttpResponse.json({ error: { message: "response_format 'verbose_json' is not compatible with this model" } }, { status: 400 })
        : HttpResponse.json({ text: SPOKEN }),
    );
    const { upload } = await behaviouralSession();
    const t = await upload(audioForm(2048, { durationMs: '30000' }));
    expect(t.status).toBe(201);
    expect(received.map((f) => f.get('response_format'))).toEqual(['verbose_json', 'json']);
    expect(t.body.durationSeconds).toBe(30);
    expect(t.body.delivery.pauses).toBeNull();
    expect(t.body.delivery.star.estimated).toBe(true);
  });

  it('keeps the well-formed segments of a server reply and drops the malformed ones', async () => {
    whisper(() =>
      HttpResponse.json({
        text: SPOKEN,
        duration: '20.5',
        segments: [
          { start: 0, end: 8, text: ' So, um, at my last job.' },
          { start: 9, end: 3, text: 'backwards' },
          { start: 'x', end: 12, text: 'not a number' },
          { start: 12, end: 20, text: '   ' },
          { start: 12.5, end: 20.5, text: 'I profiled the database calls.' },
        ],
      }),
    );
    const { upload } = await behaviouralSession();
    const t = await upload(audioForm());
    expect(t.status).toBe(201);
    expect(t.body.durationSeconds).toBe(20.5);
    expect(t.body.delivery.pauses).toEqual({ long: 1, longestSeconds: 4.5, thresholdSeconds: 3 });
  });

  it.each([
    [401, 502, 'model_auth', /refused the credentials: check TRANSCRIPTION_API_KEY/],
    [404, 502, 'model_error', /no model "whisper-1" or no \/audio\/transcriptions endpoint/],
    [500, 502, 'model_unavailable', /server error \(500\)/],
    [503, 502, 'model_unavailable', /server error \(503\)/],
    [429, 503, 'model_rate_limited', /rate limiting/],
  ])('a %i from the transcription server is a %i %s that keeps nothing and says what to do', async (upstream, status, code, message) => {
    whisper(() => HttpResponse.json({ error: { message: 'nope' } }, { status: upstream }));
    const { upload, session, deps } = await behaviouralSession();
    const t = await upload(audioForm());
    expect(t.status).toBe(status);
    expect(t.body.error.code).toBe(code);
    expect(t.body.error.message).toMatch(message);
    expect(t.body.error.message).toMatch(/recording is kept in the page: retry, or type your answer/);
    expect(await deps.store.recordings(session.id)).toEqual([]);
  });

  it('a transcription server that does not answer in time is a 504', async () => {
    whisper(async () => {
      // The slow server is what is tested: it answers after the 1 s limit (OPENAI_TIMEOUT_MS).
      await new Promise((r) => setTimeout(r, 1500));
      return HttpResponse.json(verbose());
    });
    const { upload } = await behaviouralSession();
    const t = await upload(audioForm());
    expect(t.status).toBe(504);
    expect(t.body.error).toMatchObject({ code: 'model_timeout' });
    expect(t.body.error.message).toMatch(/did not answer in time/);
  });

  it('a dropped connection is a 502 naming TRANSCRIPTION_BASE_URL', async () => {
    whisper(() => HttpResponse.error());
    const { upload } = await behaviouralSession();
    const t = await upload(audioForm());
    expect(t.status).toBe(502);
    expect(t.body.error.message).toMatch(/check TRANSCRIPTION_BASE_URL/);
  });

  it('an empty recording is a 400 without calling the server; one with no words heard is a 422', async () => {
    const received = whisper(() => HttpResponse.json({ text: ' ', duration: 3, segments: [] }));
    const { upload } = await behaviouralSession();
    const empty = await upload(audioForm(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/recording is empty/);
    expect(received).toHaveLength(0);
    const silent = await upload(audioForm(2048));
    expect(silent.status).toBe(422);
    expect(silent.body.error).toMatchObject({ code: 'no_speech' });
    expect(received).toHaveLength(1);
  });

  it('refuses recordings over the size or duration limits, files that are not audio, and bodies that are not multipart', async () => {
    const received = whisper(() => HttpResponse.json(verbose(SPOKEN, 700)));
    const { upload, request, session } = await behaviouralSession({ MAX_AUDIO_MB: '1', MAX_AUDIO_SECONDS: '600' });
    const big = await upload(audioForm(1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/larger than 1 MB \(MAX_AUDIO_MB\)/);
    const long = await upload(audioForm(1024, { durationMs: String(601_000) }));
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/601 s long; answers can be at most 600 s/);
    const text = await upload(audioForm(1024, {}, 'text/plain'));
    expect(text.status).toBe(415);
    expect(received).toHaveLength(0);
    // The server measured it longer than the recorder said.
    const measured = await upload(audioForm(1024, { durationMs: '5000' }));
    expect(measured.status).toBe(400);
    expect(measured.body.error.message).toMatch(/700 s long/);
    const missing = await upload(new FormData());
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/audio/);
    const asJson = await request(`/api/sessions/${session.id}/answer/audio`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(asJson.status).toBe(415);
  });

  it('recognises audio a tool sent untyped or as application/octet-stream, and refuses what is not audio whatever it claims', async () => {
    const received = whisper(() => HttpResponse.json(verbose()));
    const { upload, deps } = await behaviouralSession({ KEEP_AUDIO: 'true' });
    const wav = new Uint8Array(speechLikeWav(1));
    for (const type of ['application/octet-stream', '']) {
      const form = new FormData();
      form.set('audio', new File([wav], 'blob', { type }));
      const t = await upload(form);
      expect(t.status, type).toBe(201);
      expect((await deps.store.recordingAudio(t.body.id))?.audioType).toBe('audio/wav');
    }
    // The transcription server gets a name whose extension says the format (OpenAI reads it from the name).
    expect(received.map((f) => [(f.get('file') as File).name, (f.get('file') as File).type])).toEqual([
      ['answer.wav', 'audio/wav'],
      ['answer.wav', 'audio/wav'],
    ]);
    const png = pngBytes(64);
    const disguised = await upload(audioForm(png, {}, 'audio/webm'));
    expect(disguised.status).toBe(415);
    expect(disguised.body.error.message).toMatch(/not a png file/);
    const unknown = await upload(audioForm(512, {}, 'application/octet-stream'));
    expect(unknown.status).toBe(415);
    expect(received).toHaveLength(2);
  });

  it('limits recordings per user per minute when a transcription server is used, apart from typed answers', async () => {
    const received = whisper(() => HttpResponse.json(verbose()));
    const { upload, sessions, session } = await behaviouralSession({ RATE_LIMIT_PER_MINUTE: '2' });
    expect((await upload(audioForm())).status).toBe(201);
    expect((await upload(audioForm())).status).toBe(201);
    const third = await upload(audioForm());
    expect(third.status).toBe(429);
    expect(third.body.error.message).toMatch(/Too many recordings to transcribe: the limit is 2 a minute/);
    expect(third.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(received).toHaveLength(2);
    // The offline interviewer and grader call no model: typing is never limited.
    await body(sessions.answer(session.id, SPOKEN), 200);
  });

  it('without a transcription server, says so (501) and GET /api/voice tells the page', async () => {
    const app = makeApp();
    const voice = (await app.json('/api/voice')).body;
    expect(voice).toMatchObject({ transcription: null, speech: null, keepAudio: false });
    const s = { id: await sessionsOf(app).start({ mix: { behavioral: 1 } }) };
    const t = await app.json(`/api/sessions/${s.id}/answer/audio`, { method: 'POST', body: audioForm() });
    expect(t.status).toBe(501);
    expect(t.body.error.message).toMatch(/no transcription model .* type your answer/);
  });

  it('uses the chat model server for transcription with the openai provider, and TRANSCRIPTION_MODEL=off turns it off', async () => {
    expect((await makeApp({ PROVIDER: 'openai', OPENAI_BASE_URL: 'http://model.test/v1' }).json('/api/voice')).body.transcription).toEqual({
      model: 'whisper-1',
    });
    expect(
      (await makeApp({ PROVIDER: 'openai', OPENAI_BASE_URL: 'http://model.test/v1', TRANSCRIPTION_MODEL: 'off' }).json('/api/voice')).body
        .transcription,
    ).toBeNull();
  });
});

describe('confirming a transcript', () => {
  it('links a recording to one answer only, of its own session and question', async () => {
    whisper(() => HttpResponse.json(verbose()));
    const { upload, session, sessions } = await behaviouralSession();
    const t = (await upload(audioForm())).body;
    const other = await sessions.start({ mix: { behavioral: 1 }, maxFollowUps: 1 });
    await body(sessions.answer(other, { text: SPOKEN, recordingId: t.id }), 404);
    await body(sessions.answer(session.id, { text: SPOKEN, recordingId: 'nope' }), 404);
    const both = { text: SPOKEN, recordingId: t.id, speech: { transcript: SPOKEN, durationSeconds: 10 } };
    await body(sessions.answer(session.id, both), 400);
    await body(sessions.answer(session.id, { text: SPOKEN, recordingId: t.id }), 200);
  });

  it('refuses the same recording for a second answer, and a recording of a question the interview has left', async () => {
    whisper(() => HttpResponse.json(verbose()));
    const app = makeApp(VOICE_ENV);
    const sessions = sessionsOf(app);
    const s = { id: await sessions.start({ mix: { behavioral: 3 }, maxFollowUps: 0 }) };
    // Raw: a recording is multipart.
    const upload = () => app.json(`/api/sessions/${s.id}/answer/audio`, { method: 'POST', body: audioForm() });
    const first = (await upload()).body;
    const stale = (await upload()).body;
    await body(sessions.answer(s.id, { text: SPOKEN, recordingId: first.id }), 200);
    const again = await body(sessions.answer(s.id, { text: SPOKEN, recordingId: first.id }), 409);
    expect(again.error.message).toMatch(/already sent as an answer/);
    // Without follow-ups the first answer moved the interview on: the other recording was for question 1.
    const left = await body(sessions.answer(s.id, { text: SPOKEN, recordingId: stale.id }), 409);
    expect(left.error.message).toMatch(/question the interview has left/);
  });

  it('replays the same turn for the same Idempotency-Key and body, and refuses the key with another recording', async () => {
    whisper(() => HttpResponse.json(verbose()));
    const { upload, session, sessions } = await behaviouralSession();
    const a = (await upload(audioForm())).body;
    const b = (await upload(audioForm())).body;
    const key = 'spoken-1';
    const first = await sessions.answer(session.id, { text: SPOKEN, recordingId: a.id }, { key });
    const second = await sessions.answer(session.id, { text: SPOKEN, recordingId: a.id }, { key });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect((await sessions.answer(session.id, { text: SPOKEN, recordingId: b.id }, { key })).status).toBe(422);
  });

  it('discards a transcript the candidate did not send, but not one that became an answer', async () => {
    whisper(() => HttpResponse.json(verbose()));
    const { upload, session, sessions, client, deps } = await behaviouralSession();
    const discard = (recordingId: string) =>
      client.api.sessions[':id'].recordings[':recordingId'].$delete({ param: { id: session.id, recordingId } });
    const a = (await upload(audioForm())).body;
    expect((await discard(a.id)).status).toBe(204);
    expect(await deps.store.recording(a.id)).toBeUndefined();
    await body(sessions.answer(session.id, { text: SPOKEN, recordingId: a.id }), 404);
    const b = (await upload(audioForm())).body;
    await body(sessions.answer(session.id, { text: SPOKEN, recordingId: b.id }), 200);
    expect((await discard(b.id)).status).toBe(409);
  });

  it.skipIf(onPostgres())('leaves nothing of a discarded transcript readable in the SQLite files', async () => {
    const secret = 'I explained the quorum with the word pangolinmarmalade once.';
    whisper(() => HttpResponse.json(verbose(secret, 10)));
    const path = join(mkdtempSync(join(tmpdir(), 'mockloop-discard-')), 'db.sqlite');
    const { upload, session, request } = await behaviouralSession({ DATABASE_PATH: path });
    const t = (await upload(audioForm())).body;
    expect(t.transcript).toBe(secret);
    expect((await request(`/api/sessions/${session.id}/recordings/${t.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const file of [path, `${path}-wal`]) {
      const bytes = existsSync(file) ? readFileSync(file).toString('latin1') : '';
      expect(bytes.includes('pangolinmarmalade'), file).toBe(false);
    }
  });

  it("stores the browser recogniser's transcript and timing with the answer, with delivery figures", async () => {
    const sessions = sessionsOf(makeApp());
    const id = await sessions.start({ mix: { technical: 1 }, maxFollowUps: 0 });
    const turn = sessions.answer(id, {
      text: 'A hash map stores keys in buckets by their hash, so lookups are constant time on average.',
      speech: {
        transcript: 'um a hash map stores keys in buckets by their hash uh so lookups are constant time on average',
        durationSeconds: 9,
        segments: [
          { start: 0, end: 4, text: 'um a hash map stores keys in buckets by their hash' },
          { start: 8, end: 9, text: 'uh so lookups are constant time on average' },
        ],
      },
    });
    await body(turn, 200);
    const answer = (await sessions.get(id)).messages.find((m) => m.kind === 'answer')!;
    expect(answer.spoken).toMatchObject({ source: 'browser', confirmed: true, durationSeconds: 9 });
    expect(answer.spoken!.delivery).toMatchObject({ fillers: { total: 2 }, pauses: { long: 1 }, star: null, timeBoxSeconds: 300 });
    await body(sessions.answer(id, { text: 'x', speech: { transcript: '', durationSeconds: -1 } }), 400);
    const backwards = await body(
      sessions.answer(id, {
        text: 'x',
        speech: { transcript: 'um x', durationSeconds: 3, segments: [{ start: 2, end: 1, text: 'um x' }] },
      }),
      400,
    );
    expect(backwards.error.message).toMatch(/speech\.segments\.0\.end.*must not be before start/);
  });
});

describe('kept audio', () => {
  it('is replayable, in the JSON export, and deleted with the session when KEEP_AUDIO=true', async () => {
    whisper(() => HttpResponse.json(verbose()));
    const audio = new Uint8Array([26, 69, 223, 163, 1, 2, 3, 4]);
    const { upload, session, sessions, request, json, deps } = await behaviouralSession({ KEEP_AUDIO: 'true' });
    const t = (await upload(audioForm(audio))).body;
    expect(t.audioUrl).toBe(`/api/sessions/${session.id}/recordings/${t.id}/audio`);
    await body(sessions.answer(session.id, { text: SPOKEN, recordingId: t.id }), 200);
    const played = await request(t.audioUrl);
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/webm');
    expect(new Uint8Array(await played.arrayBuffer())).toEqual(audio);
    const exported = JSON.parse(await (await request(`/api/sessions/${session.id}/export?format=json`)).text());
    const exportedAnswer = exported.messages.find((m: any) => m.kind === 'answer');
    expect(exportedAnswer.spoken.audioUrl).toBe(t.audioUrl);
    // The export stands alone: the audio itself is in it.
    expect(exportedAnswer.spoken.audioData).toBe(`data:audio/webm;base64,${Buffer.from(audio).toString('base64')}`);
    const markdown = await (await request(`/api/sessions/${session.id}/export?format=md`)).text();
    expect(markdown).toMatch(
      /\*Spoken \(transcribed here\): 0:40 of a \d+:00 time box, \d+ words a minute, 2 fillers \(um 1, you know 1\), 1 long pause,/,
    );
    expect(markdown).toMatch(/Delivery: 1 spoken answer, 0:40 in all/);
    expect((await request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await deps.store.recording(t.id)).toBeUndefined();
    expect((await json(t.audioUrl)).status).toBe(404);
  });

  it('is not kept by default', async () => {
    whisper(() => HttpResponse.json(verbose()));
    const { upload, session, json } = await behaviouralSession();
    const t = (await upload(audioForm())).body;
    const res = await json(`/api/sessions/${session.id}/recordings/${t.id}/audio`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/not kept/);
  });
});

describe("the interviewer's server voice", () => {
  it('speaks through /audio/speech when SPEECH_MODEL is set, and is a 501 without it', async () => {
    const bodies: any[] = [];
    mock.server.use(
      http.post('http://tts.test/v1/audio/speech', async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(new Uint8Array([0xff, 0xfb, 1, 2]), { headers: { 'content-type': 'audio/mpeg' } });
      }),
    );
    const app = makeApp({ SPEECH_MODEL: 'tts-1', SPEECH_BASE_URL: 'http://tts.test/v1', SPEECH_VOICE: 'nova' });
    expect((await app.json('/api/voice')).body.speech).toEqual({ model: 'tts-1', voice: 'nova' });
    const res = await app.client.api.speech.$post({ json: { text: 'Tell me about a time you failed.' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xfb, 1, 2]));
    expect(bodies[0]).toMatchObject({ model: 'tts-1', voice: 'nova', input: 'Tell me about a time you failed.' });
    await body(makeApp().client.api.speech.$post({ json: { text: 'Hello' } }), 501);
  });

  it('limits speech by the characters read a minute, not by requests, and counts it in the budget', async () => {
    let spoken = 0;
    mock.server.use(
      http.post('http://tts.test/v1/audio/speech', async () => {
        spoken++;
        return new HttpResponse(new Uint8Array([0xff, 0xfb]), { headers: { 'content-type': 'audio/mpeg' } });
      }),
    );
    // One request a minute: 200 characters of speech a minute.
    const app = makeApp({
      SPEECH_MODEL: 'tts-1',
      SPEECH_BASE_URL: 'http://tts.test/v1',
      RATE_LIMIT_PER_MINUTE: '1',
      USER_TOKEN_BUDGET: '60',
    });
    const sentence = (n: number) => 'x'.repeat(n);
    const speak = (a: typeof app, text: string) => a.client.api.speech.$post({ json: { text } });
    expect((await speak(app, sentence(150))).status).toBe(200);
    const over = await speak(app, sentence(100));
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await body(over, 429)).error.message).toMatch(/200 characters a minute/);
    // What was refused was not counted: 50 characters are left this minute.
    expect((await speak(app, sentence(40))).status).toBe(200);
    expect(spoken).toBe(2);
    // 190 characters read ≈ 48 tokens of the 60 budget; the next sentence would pass it only after this one.
    expect((await app.json('/api/me')).body.usage.promptTokens).toBe(48);
    const later = makeApp({ SPEECH_MODEL: 'tts-1', SPEECH_BASE_URL: 'http://tts.test/v1', USER_TOKEN_BUDGET: '10' });
    expect((await speak(later, sentence(60))).status).toBe(200);
    expect((await body(speak(later, sentence(10)), 429)).error.code).toBe('budget_exhausted');
  });
});
