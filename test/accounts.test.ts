import { describe, expect, it } from 'vitest';
import { body, makeApp, sessionsOf, testClock } from './helpers/app.js';
import { mock, MODEL_ENV, until } from './helpers/openai-mock.js';
import { gradeReply } from './helpers/replies.js';

const ANSWER = 'DynamoDB replicates each partition across three Availability Zones and acknowledges writes once a quorum has them.';
const json = { 'content-type': 'application/json' };

/** A token-mode app with two users, alice and bob, and a token each. */
async function teamApp(env: Record<string, string> = {}, options: { now?: () => Date } = {}) {
  const app = makeApp({ AUTH: 'token', ...env }, options);
  const { accounts } = app.deps;
  await accounts.addUser('alice');
  await accounts.addUser('bob');
  const alice = (await accounts.createToken('alice')).token;
  const bob = (await accounts.createToken('bob')).token;
  const as = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
  // Raw: for the route tables, which send every route the same way.
  const send = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { ...(token ? as(token) : {}), ...(body === undefined ? {} : json), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { app, alice, bob, as, send };
}

describe('web security in every mode', () => {
  it('refuses a Host it does not know on every route (DNS rebinding), and answers loopback names', async () => {
    const app = makeApp();
    const id = await sessionsOf(app).start({});
    for (const [method, path] of [
      ['GET', '/api/sessions'],
      ['GET', `/api/sessions/${id}`],
      ['GET', `/api/sessions/${id}/export`],
      ['DELETE', `/api/sessions/${id}`],
      ['GET', '/'],
      ['GET', '/api/health'],
    ]) {
      const res = await app.request(`http://attacker.example:8787${path}`, { method, headers: { host: 'attacker.example:8787' } });
      expect(res.status, `${method} ${path}`).toBe(421);
    }
    expect((await app.request(`/api/sessions/${id}`, { headers: { host: 'localhost:8787' } })).status).toBe(200);
    expect((await app.request('/api/sessions', { headers: { host: '127.0.0.1:5000' } })).status).toBe(200);
  });

  it('answers the public host of PUBLIC_URL and ALLOWED_HOSTS', async () => {
    const app = makeApp({ AUTH: 'token', PUBLIC_URL: 'https://interviews.example.com', ALLOWED_HOSTS: 'mockloop.lan:8787' });
    for (const host of ['interviews.example.com', 'mockloop.lan:8787']) {
      expect((await app.request(`http://${host}/api/health`, { headers: { host } })).status, host).toBe(200);
    }
  });

  // Each check alone as well as together: another port of the same host is another origin, and
  // same-site is not same-origin.
  it.each<[string, Record<string, string>]>([
    ['another site', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['an opaque origin', { origin: 'null' }],
    ['same-site from another port', { 'sec-fetch-site': 'same-site', origin: 'http://localhost:9999' }],
    ['another port of the same host (Origin alone)', { origin: 'http://localhost:9999' }],
    ['Sec-Fetch-Site: same-site alone', { 'sec-fetch-site': 'same-site' }],
  ])('refuses unsafe requests, bodiless or not, from %s', async (_name, headers) => {
    const app = makeApp();
    const id = await sessionsOf(app).start({});
    const theirs = app.clientWith(headers);
    const session = theirs.api.sessions[':id'];
    expect((await theirs.api.sessions.$post({ json: {} })).status).toBe(403);
    expect((await session.finish.$post({ param: { id }, header: {} })).status).toBe(403);
    expect((await session.$delete({ param: { id } })).status).toBe(403);
    expect((await sessionsOf(app).get(id)).status).toBe('active');
  });

  it('refuses a form or a text body to skip or finish, whatever it claims', async () => {
    const app = makeApp();
    const id = await sessionsOf(app).start({});
    // Raw: bodies that are not JSON, as a cross-site form sends them.
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await app.request(`/api/sessions/${id}/skip`, { method: 'POST', headers: form, body: 'x=1' })).status).toBe(415);
    expect(
      (await app.request(`/api/sessions/${id}/finish`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status,
    ).toBe(415);
    expect((await sessionsOf(app).get(id)).status).toBe('active');
  });

  it('lets unsafe requests through from its own origin, and from tools that send no browser headers', async () => {
    const app = makeApp();
    const own = app.clientWith({ origin: 'http://localhost', 'sec-fetch-site': 'same-origin' });
    await body(own.api.sessions.$post({ json: {} }), 201);
    await body(app.client.api.sessions.$post({ json: {} }), 201);
    // Raw: a request with no body and no content type at all, as curl -X POST sends it.
    expect((await app.request('/api/sessions', { method: 'POST' })).status).toBe(201);
  });
});

describe('AUTH=token', () => {
  it('answers 401 with WWW-Authenticate on every API route without a credential, except health, ready and sign-in', async () => {
    const { app } = await teamApp();
    const doc = (await app.json('/openapi.json')).body;
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => [m.toUpperCase(), path.replace('{id}', 'x')] as const),
    );
    expect(routes.length).toBeGreaterThan(15);
    for (const [method, path] of routes) {
      const res = await app.request(path, { method, headers: method === 'GET' ? {} : json, body: method === 'GET' ? undefined : '{}' });
      if (['/api/health', '/api/ready', '/api/login'].includes(path)) {
        expect(res.status, `${method} ${path}`).not.toBe(401);
        continue;
      }
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="mockloop"');
    }
  });

  it("keeps each user's sessions their own: another user's session is 404 on every route", async () => {
    const { app, send, alice, bob, as } = await teamApp();
    const asAlice = sessionsOf({ client: app.clientWith(as(alice)) });
    const id = await asAlice.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    await body(asAlice.answer(id, ANSWER), 200);
    const bobs = app.clientWith(as(bob));
    const asBob = sessionsOf({ client: bobs });
    const session = bobs.api.sessions[':id'];
    for (const [what, res] of [
      ['GET', () => session.$get({ param: { id } })],
      ['export', () => session.export.$get({ param: { id }, query: {} })],
      ['answer', () => asBob.answer(id, ANSWER)],
      ['retry', () => asBob.retry(id)],
      ['skip', () => asBob.skip(id)],
      ['finish', () => asBob.finish(id)],
      ['DELETE', () => asBob.remove(id)],
    ] as const) {
      expect((await res()).status, what).toBe(404);
    }
    const mine = { id };
    expect((await (await send('GET', '/api/sessions', bob)).json()).items).toEqual([]);
    expect((await (await send('GET', '/api/progress', bob)).json()).points).toEqual([]);
    expect((await (await send('GET', '/api/sessions', alice)).json()).items.map((s: any) => s.id)).toEqual([mine.id]);
    expect((await (await send('GET', '/api/progress', alice)).json()).points).toHaveLength(1);
    // the bank and stateless grading are open to every signed-in user
    expect((await send('GET', '/api/questions?limit=1', bob)).status).toBe(200);
    await body(bobs.api.grade.$post({ json: { questionId: 'amazon-32', answer: ANSWER } }), 200);
  });

  it('refuses revoked and expired tokens, and says who you are', async () => {
    const clock = testClock();
    const { app, send, alice } = await teamApp({}, clock);
    expect(await (await send('GET', '/api/me', alice)).json()).toMatchObject({ user: { name: 'alice' }, mode: 'token', via: 'token' });
    const { accounts } = app.deps;
    const revoked = await accounts.createToken('alice', { name: 'old laptop' });
    expect((await send('GET', '/api/me', revoked.token)).status).toBe(200);
    await accounts.revokeToken(revoked.info.prefix);
    expect((await send('GET', '/api/me', revoked.token)).status).toBe(401);
    const expiring = await accounts.createToken('alice', { expiresInDays: 1 });
    expect((await send('GET', '/api/me', expiring.token)).status).toBe(200);
    clock.advance(2 * 86_400_000);
    expect((await send('GET', '/api/me', expiring.token)).status).toBe(401);
    expect((await send('GET', '/api/me', `${alice.slice(0, -4)}AAAA`)).status).toBe(401);
    expect((await accounts.listTokens('alice')).find((t) => t.id === revoked.info.id)).toMatchObject({ revokedAt: expect.any(String) });
    // only a hash is stored
    const [, prefix, secret] = /^mlk_([0-9a-f]{12})_(.+)$/.exec(alice)!;
    const stored = await app.deps.store.tokenByPrefix(prefix!);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(alice).not.toContain(stored!.hash);
    expect(JSON.stringify(await app.deps.store.listTokens())).not.toContain(secret!);
  });

  it('signs a browser in with a token: an HttpOnly SameSite=Strict cookie that sign-out ends; cookie writes must be same-origin JSON', async () => {
    const { app, alice } = await teamApp();
    const login = await app.clientWith({ origin: 'http://localhost' }).api.login.$post({ json: { token: alice } });
    expect(login.status).toBe(200);
    const { key } = (await login.json()) as { key: string };
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^mockloop_login=[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(200);
    // a write signed in by cookie: only same-origin JSON, from the page that holds the key (raw: the headers are what is tested)
    const create = (headers: Record<string, string>, body = '{}') =>
      app.request('/api/sessions', { method: 'POST', headers: { cookie, 'x-mockloop-key': key, ...headers }, body });
    expect((await create({ ...json, origin: 'http://localhost' })).status).toBe(201);
    expect((await create({ ...json })).status).toBe(403);
    expect((await create({ ...json, origin: 'https://evil.example' })).status).toBe(403);
    expect((await create({ 'content-type': 'text/plain', origin: 'http://localhost' }, 'x')).status).toBe(403);
    expect(
      (
        await app.request('/api/logout', {
          method: 'POST',
          headers: { cookie, 'x-mockloop-key': key, ...json, origin: 'http://localhost' },
        })
      ).status,
    ).toBe(204);
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(401);
    expect((await app.client.api.login.$post({ json: { token: 'mlk_nope' } })).status).toBe(401);
  });
});

describe('users', () => {
  it('are the same whatever the case of their name', async () => {
    const { app } = await teamApp();
    await expect(app.deps.accounts.addUser('Alice')).rejects.toThrow(/already a user/);
    const token = (await app.deps.accounts.createToken('ALICE')).token;
    expect((await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('are not removed with sessions unless those are deleted or handed over', async () => {
    const { app, alice, as } = await teamApp();
    const id = await sessionsOf({ client: app.clientWith(as(alice)) }).start({ questionIds: ['amazon-32'] });
    const { accounts } = app.deps;
    await expect(accounts.removeUser('alice')).rejects.toThrow(/alice has 1 session: say --delete-sessions, or --hand-over-to/);
    expect(await accounts.removeUser('alice', { handOverTo: 'bob' })).toEqual({ sessions: 1 });
    const bob = (await accounts.createToken('bob')).token;
    await sessionsOf({ client: app.clientWith(as(bob)) }).get(id);
    expect(await accounts.removeUser('bob', 'delete')).toEqual({ sessions: 1 });
    expect(await app.deps.store.session(id)).toBeUndefined();
  });

  it("see another user's session as a 404 even while a turn of it runs", async () => {
    const { app, alice, bob, as } = await teamApp(MODEL_ENV);
    const asAlice = sessionsOf({ client: app.clientWith(as(alice)) });
    const id = await asAlice.start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    mock.reply({ kind: 'delay', ms: 300, then: gradeReply('technical', 4, 'quorum') }, { kind: 'stream', chunks: ['Next.'] });
    const running = asAlice.answer(id, ANSWER);
    await until(() => mock.requests.length > 0);
    const theirs = await sessionsOf({ client: app.clientWith(as(bob)) }).answer(id, ANSWER);
    expect(theirs.status).toBe(404);
    expect((await asAlice.answer(id, ANSWER)).status).toBe(409);
    expect((await running).status).toBe(200);
  });
});

describe('a browser sign-in', () => {
  const signIn = async (app: Awaited<ReturnType<typeof teamApp>>['app'], token: string, origin = 'http://localhost') => {
    const login = await app.clientWith({ origin }, origin).api.login.$post({ json: { token } });
    expect(login.status).toBe(200);
    return login.headers.get('set-cookie')!;
  };

  it('ends when the token that made it is revoked', async () => {
    const { app } = await teamApp();
    const laptop = await app.deps.accounts.createToken('alice', { name: 'laptop' });
    const cookie = (await signIn(app, laptop.token)).split(';')[0]!;
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(200);
    await app.deps.accounts.revokeToken(laptop.info.prefix);
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(401);
  });

  it('never outlives its token: the cookie expires with it, and the sign-in ends when it does', async () => {
    const clock = testClock();
    const { app } = await teamApp({ LOGIN_DAYS: '7' }, clock);
    const shortLived = await app.deps.accounts.createToken('alice', { expiresInDays: 1 });
    const setCookie = await signIn(app, shortLived.token);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(setCookie)![1]!);
    expect(expires - clock.now().getTime()).toBeLessThanOrEqual(86_400_000);
    const cookie = setCookie.split(';')[0]!;
    clock.advance(2 * 86_400_000);
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(401);
  });

  it('believes no sign-in cookie when the browser sends two (cookie tossing from another port)', async () => {
    const { app, bob } = await teamApp();
    const mine = (await signIn(app, (await app.deps.accounts.createToken('alice')).token)).split(';')[0]!;
    const theirs = (await signIn(app, bob)).split(';')[0]!;
    expect((await app.request('/api/me', { headers: { cookie: mine } })).status).toBe(200);
    for (const cookie of [`${theirs}; ${mine}`, `${mine}; ${theirs}`]) {
      const res = await app.request('/api/sessions/x', { headers: { cookie } });
      expect(res.status).toBe(401);
      // both expired, whatever path the other was set for, so the browser can sign in again
      const cleared = res.headers.getSetCookie().filter((c) => /^mockloop_login=;/.test(c) && /Max-Age=0/.test(c));
      expect(cleared.map((c) => /Path=([^;]+)/.exec(c)![1]).sort()).toEqual([
        '/',
        '/api',
        '/api/',
        '/api/sessions',
        '/api/sessions/',
        '/api/sessions/x',
        '/api/sessions/x/',
      ]);
    }
  });

  it('believes a cookie only with the key its sign-in answered with (a cookie replaced from another port)', async () => {
    const { app, bob } = await teamApp();
    const login = await app.request('http://localhost/api/login', {
      method: 'POST',
      headers: { ...json, origin: 'http://localhost' },
      body: JSON.stringify({ token: (await app.deps.accounts.createToken('alice')).token }),
    });
    const { key } = await login.json();
    const mine = login.headers.get('set-cookie')!.split(';')[0]!;
    const theirs = (await signIn(app, bob)).split(';')[0]!;
    const write = (cookie: string, pageKey?: string) =>
      app.request('http://localhost/api/sessions', {
        method: 'POST',
        headers: { cookie, ...json, origin: 'http://localhost', ...(pageKey === undefined ? {} : { 'x-mockloop-key': pageKey }) },
        body: '{}',
      });
    expect((await write(mine, key)).status).toBe(201);
    expect((await write(theirs, key)).status).toBe(401);
    expect((await write(mine)).status).toBe(401);
    expect((await write(mine, '')).status).toBe(401);
    expect((await app.request('/api/me', { headers: { cookie: theirs, 'x-mockloop-key': key } })).status).toBe(401);
    expect((await app.request('/api/me', { headers: { cookie: mine, 'x-mockloop-key': key } })).status).toBe(200);
  });

  it('is a __Host- cookie, Secure, when served over https', async () => {
    const { app, alice } = await teamApp({ PUBLIC_URL: 'https://interviews.example.com' });
    const setCookie = await signIn(app, alice, 'https://interviews.example.com');
    expect(setCookie).toMatch(/^__Host-mockloop_login=[\w-]+;/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = setCookie.split(';')[0]!;
    const me = await app.request('https://interviews.example.com/api/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    // The plain name is not believed over https: only the __Host- one.
    const plain = cookie.replace('__Host-', '');
    expect((await app.request('https://interviews.example.com/api/me', { headers: { cookie: plain } })).status).toBe(401);
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After past the per-minute limit of model requests', async () => {
    const app = makeApp({ ...MODEL_ENV, RATE_LIMIT_PER_MINUTE: '2' });
    mock.reply(gradeReply('technical', 4, 'quorum'), gradeReply('technical', 4, 'quorum'), gradeReply('technical', 4, 'quorum'));
    const statuses = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await app.client.api.grade.$post({ json: { questionId: 'amazon-32', answer: ANSWER } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(mock.requests).toHaveLength(2);
    // the bank is not rate limited, nor is grading offline: it calls no model
    expect((await app.request('/api/questions?limit=1')).status).toBe(200);
    await body(app.client.api.grade.$post({ json: { questionId: 'amazon-32', answer: ANSWER, provider: 'offline' } }), 200);
  });

  it('holds the budget before each model call: parallel requests cannot together pass it', async () => {
    const app = makeApp({ ...MODEL_ENV, USER_TOKEN_BUDGET: '1000' });
    const slow = { kind: 'delay' as const, ms: 200, then: gradeReply('technical', 4, 'quorum') };
    mock.reply(slow, slow, slow);
    const grade = () => app.client.api.grade.$post({ json: { questionId: 'amazon-32', answer: ANSWER } });
    const statuses = (await Promise.all([grade(), grade(), grade()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429, 429]);
    expect(mock.requests).toHaveLength(1);
    // What the one call really used is what counts, once it is done: nothing is left held.
    expect((await app.json('/api/me')).body.usage).toMatchObject({ promptTokens: 900, completionTokens: 200 });
  });

  it('counts skips and finishes, which grade and close with the model, in the same limit', async () => {
    const app = makeApp({ ...MODEL_ENV, RATE_LIMIT_PER_MINUTE: '2' });
    const sessions = sessionsOf(app);
    const id = await sessions.start({ questionIds: ['amazon-32', 'amazon-31', 'amazon-33'] });
    mock.reply({ kind: 'stream', chunks: ['Next.'] }, { kind: 'stream', chunks: ['Next.'] }, { kind: 'stream', chunks: ['Bye.'] });
    const statuses = [];
    for (const turn of [sessions.skip, sessions.skip, sessions.finish]) statuses.push((await turn(id)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('completes the turn and logs the loss when the tokens it used cannot be recorded, without an unhandled rejection', async () => {
    const lines: string[] = [];
    const app = makeApp(MODEL_ENV, { log: (line) => lines.push(line) });
    const id = await sessionsOf(app).start({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    // The database fails at that moment only.
    app.deps.accounts.addUsage = () => Promise.reject(new Error('connection terminated unexpectedly'));
    try {
      mock.reply(gradeReply('technical', 4, 'quorum'), { kind: 'stream', chunks: ['Next question.'] });
      const res = await sessionsOf(app).answer(id, ANSWER);
      expect(res.status).toBe(200);
      await until(() => lines.some((l) => l.includes('usage_not_recorded')));
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(JSON.parse(lines.find((l) => l.includes('usage_not_recorded'))!)).toMatchObject({ level: 'warn', user: 'local' });
  });

  it('stops model calls once the monthly token budget is spent; the offline grader still works', async () => {
    const app = makeApp({ ...MODEL_ENV, USER_TOKEN_BUDGET: '1000' });
    mock.reply(gradeReply('technical', 4, 'quorum'));
    const grade = (options: { provider?: 'offline' } = {}) =>
      app.client.api.grade.$post({ json: { questionId: 'amazon-32', answer: ANSWER, ...options } });
    expect((await grade()).status).toBe(200);
    const me = (await app.json('/api/me')).body;
    expect(me.usage).toMatchObject({ promptTokens: 900, completionTokens: 200, budget: 1000 });
    const spent = await grade();
    expect(spent.status).toBe(429);
    expect(await spent.json()).toMatchObject({ error: { code: 'budget_exhausted', message: expect.stringMatching(/budget .* is spent/) } });
    const sessions = sessionsOf(app);
    const id = await sessions.start({ questionIds: ['amazon-32'] });
    expect((await sessions.answer(id, ANSWER)).status).toBe(429);
    expect(mock.requests).toHaveLength(1);
    expect((await grade({ provider: 'offline' })).status).toBe(200);
  });
});

describe('CORS', () => {
  it('is off by default, and lets the listed origins call with a token, never with cookies', async () => {
    const preflight = (app: ReturnType<typeof makeApp>, origin: string) =>
      app.request('/api/sessions', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight(makeApp(), 'https://lms.example.com')).headers.get('access-control-allow-origin')).toBeNull();
    const app = makeApp({ AUTH: 'token', CORS_ORIGINS: 'https://lms.example.com' });
    const ok = await preflight(app, 'https://lms.example.com');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://lms.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight(app, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
