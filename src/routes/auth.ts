import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { AppError } from '../errors.js';
import { LOGIN_COOKIE, loginCookieValue, PAGE_KEY_HEADER, pageKey } from '../middleware/auth.js';
import { createRouter, errors, json, publicErrors } from './common.js';

const Me = z
  .object({
    user: z.object({ name: z.string() }),
    mode: z.enum(['none', 'token', 'proxy']),
    via: z.enum(['local', 'token', 'cookie', 'proxy']),
    usage: z.object({
      month: z.string(),
      promptTokens: z.number().int(),
      completionTokens: z.number().int(),
      budget: z.number().int().nullable().openapi({ description: 'Model tokens allowed per month, or null for no budget' }),
    }),
  })
  .openapi('Me');

const me = createRoute({
  operationId: 'getMe',
  method: 'get',
  path: '/me',
  tags: ['account'],
  summary: 'Who you are, how you signed in, and the model tokens you used this month',
  responses: { 200: json(Me, 'You'), ...errors(500) },
});

const SignedIn = z
  .object({
    key: z.string().openapi({
      description: `The page key: keep it in the page's own storage and send it in the \`${PAGE_KEY_HEADER}\` header; it proves the cookie is this page's sign-in`,
    }),
  })
  .openapi('SignedIn');

const login = createRoute({
  operationId: 'signIn',
  method: 'post',
  path: '/login',
  tags: ['account'],
  summary: 'Sign the browser in with an API token (AUTH=token): sets an HttpOnly, SameSite=Strict cookie',
  security: [],
  request: {
    body: { content: { 'application/json': { schema: z.object({ token: z.string().min(1).max(200) }).strict() } }, required: true },
  },
  responses: {
    200: json(
      SignedIn,
      `Signed in; the cookie is set. Send \`key\` in the \`${PAGE_KEY_HEADER}\` header with every request the page makes: a cookie set by a page on another port does not match it`,
    ),
    ...publicErrors(400, [401, 'Unknown, revoked or expired token'], 403, [404, 'No sign-in in this mode'], 415, 500),
  },
});

const logout = createRoute({
  operationId: 'signOut',
  method: 'post',
  path: '/logout',
  tags: ['account'],
  summary: 'End this browser sign-in',
  responses: { 204: { description: 'Signed out' }, ...errors(403, 500) },
});

export const authRoutes = createRouter()
  .openapi(me, async (c) => {
    const { user, via } = c.var.caller;
    const { config, accounts } = c.var.deps;
    return c.json(
      {
        user: { name: user.name },
        mode: config.auth.mode,
        via,
        usage: { ...(await accounts.usageThisMonth(user.id)), budget: config.limits.monthlyTokens ?? null },
      },
      200,
    );
  })
  .openapi(login, async (c) => {
    const { config, accounts } = c.var.deps;
    if (config.auth.mode !== 'token') throw new AppError('not_found', `There is no sign-in page with AUTH=${config.auth.mode}`);
    const signedIn = await accounts.login(c.req.valid('json').token, config.auth.loginDays);
    if (!signedIn) throw new AppError('unauthorized', 'That token is unknown, revoked or expired');
    setCookie(c, LOGIN_COOKIE, signedIn.id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: config.web.secure,
      path: '/',
      expires: signedIn.expiresAt,
      // Over https the __Host- prefix: only this host, over https, path / — a page on another port cannot set it.
      ...(config.web.secure ? { prefix: 'host' as const } : {}),
    });
    return c.json({ key: pageKey(signedIn.id) }, 200);
  })
  .openapi(logout, async (c) => {
    const id = loginCookieValue(c);
    if (id) await c.var.deps.accounts.endLogin(id);
    const { config } = c.var.deps;
    deleteCookie(c, LOGIN_COOKIE, { path: '/', secure: config.web.secure, ...(config.web.secure ? { prefix: 'host' as const } : {}) });
    return c.body(null, 204);
  });
