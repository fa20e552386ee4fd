import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { LOCAL_USER } from '../accounts/accounts.js';
import { AppError } from '../errors.js';
import type { AppEnv, Caller } from '../types.js';
import { bodyTypeFor, hasBearer, sameOrigin } from './security.js';

/** The browser's sign-in cookie: HttpOnly, SameSite=Strict; it holds a sign-in id whose hash the server keeps. */
export const LOGIN_COOKIE = 'mockloop_login';

/** The cookie's name as the browser sends it: `__Host-mockloop_login` over https (hono adds the prefix when setting it). */
export const loginCookieName = (config: { web: { secure: boolean } }) => (config.web.secure ? `__Host-${LOGIN_COOKIE}` : LOGIN_COOKIE);

/**
 * The sign-in id the request carries, if it carries exactly one. A page on another port of the
 * same host can set a second cookie of the same name (cookies do not keep ports apart), and
 * browsers send both: then neither is believed, so no one can be signed in as someone else.
 */
export function loginCookieValue(c: Context<AppEnv>): string | undefined {
  const name = loginCookieName(c.var.deps.config);
  const values = (c.req.header('cookie') ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(`${name}=`));
  if (values.length !== 1) return undefined;
  try {
    return decodeURIComponent(values[0]!.slice(name.length + 1)) || undefined;
  } catch {
    return undefined;
  }
}

/** Routes anyone may call: liveness, readiness and signing in. */
const PUBLIC = new Set(['GET /api/health', 'GET /api/ready', 'POST /api/login']);

function remoteAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address?.replace(/^::ffff:/, '');
  } catch {
    return undefined;
  }
}

/** Who is calling: the local user (AUTH=none), a bearer token, the sign-in cookie, or a trusted proxy's header. */
async function identify(c: Context<AppEnv>): Promise<Caller | undefined> {
  const { config, accounts } = c.var.deps;
  if (config.auth.mode === 'none') return { user: LOCAL_USER, via: 'local' };
  const authorization = c.req.header('authorization');
  if (hasBearer(authorization)) {
    const user = await accounts.authenticate(authorization!.replace(/^Bearer\s+/i, ''));
    return user && { user, via: 'token' };
  }
  if (config.auth.mode === 'proxy') {
    const name = c.req.header(config.auth.proxyHeader);
    const from = remoteAddress(c);
    if (name && from && config.auth.trustedProxies.includes(from)) return { user: await accounts.userFromProxy(name), via: 'proxy' };
    return undefined;
  }
  const login = loginCookieValue(c);
  const user = login ? await accounts.userOfLogin(login) : undefined;
  return user && { user, via: 'cookie' };
}

/**
 * Every /api route but the public ones needs a caller. A request signed in by cookie that
 * changes something must also say it is JSON and come from this origin, so a form on another
 * site cannot use the cookie.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (PUBLIC.has(`${c.req.method} ${c.req.path}`)) return next();
  const caller = await identify(c);
  if (!caller) {
    const how =
      c.var.deps.config.auth.mode === 'proxy'
        ? 'sign in through the proxy, or send a bearer token'
        : 'send "Authorization: Bearer <token>" (see `npm run -s cli -- token create`), or sign in on the page';
    throw new AppError('unauthorized', `Sign-in needed: ${how}`);
  }
  if (caller.via === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    const origin = c.req.header('origin');
    if (!origin || !sameOrigin(origin, new URL(c.req.url).host) || !bodyTypeFor(c.req.path).test(c.req.header('content-type') ?? '')) {
      throw new AppError(
        'forbidden',
        'A signed-in browser request that changes something must be JSON (a recording: multipart/form-data) and come from this page',
      );
    }
  }
  c.set('caller', caller);
  await next();
});
