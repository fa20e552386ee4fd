import { createHash, timingSafeEqual } from 'node:crypto';
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
  if (values.length > 1) clearLoginCookies(c);
  if (values.length !== 1) return undefined;
  try {
    return decodeURIComponent(values[0]!.slice(name.length + 1)) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The page's proof that a cookie sign-in is its own. Cookies do not keep ports apart, so a page on
 * another port of the same host can replace the sign-in cookie with one of its own user's (over
 * http; over https `__Host-` keeps http pages out). The page keeps this key, which the sign-in
 * answered with, in its origin's storage (which ports do keep apart) and sends it with every
 * request: a cookie it did not get from this sign-in does not match it.
 */
export const PAGE_KEY_HEADER = 'x-mockloop-key';

/** The page key of a sign-in: a hash of its id, so it reveals nothing of the cookie. */
export const pageKey = (login: string) => createHash('sha256').update(`mockloop page key\n${login}`).digest('base64url');

/**
 * Whether the request carries the page key of the sign-in its cookie names. A read without the
 * header (a download link, an audio element) is believed: it changes nothing, and a tossed cookie
 * would only show its own user's data. The page sends the header (empty when it has no key) on
 * every request it makes, so it never works on a sign-in it did not make.
 */
function fromThePage(c: Context<AppEnv>, login: string): boolean {
  const key = c.req.header(PAGE_KEY_HEADER);
  if (key === undefined) return c.req.method === 'GET' || c.req.method === 'HEAD';
  const want = Buffer.from(pageKey(login));
  const got = Buffer.from(key);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Expires every sign-in cookie the request could have carried: one for each path above it (the
 * other cookie can have any of them), so the browser can sign in again. Over https only
 * `__Host-` cookies are read, and those have path / alone.
 */
function clearLoginCookies(c: Context<AppEnv>): void {
  const secure = c.var.deps.config.web.secure;
  const parts = c.req.path.split('/').filter(Boolean);
  const paths = secure
    ? ['/']
    : ['/', ...parts.flatMap((_, i) => [`/${parts.slice(0, i + 1).join('/')}`, `/${parts.slice(0, i + 1).join('/')}/`])];
  for (const path of paths) c.header('set-cookie', deleteCookieHeader(path, secure), { append: true });
}

const deleteCookieHeader = (path: string, secure: boolean) =>
  `${secure ? `__Host-${LOGIN_COOKIE}` : LOGIN_COOKIE}=; Path=${path}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

/** Routes anyone may call: liveness, readiness and signing in. */
const PUBLIC = new Set(['GET /api/health', 'GET /api/ready', 'POST /api/login']);

function remoteAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address?.replace(/^::ffff:/, '');
  } catch {
    return undefined;
  }
}

/** True when the request comes straight from one of the TRUSTED_PROXIES, whose headers are believed. */
export function fromTrustedProxy(c: Context<AppEnv>, trustedProxies: string[]): boolean {
  const from = remoteAddress(c);
  return from !== undefined && trustedProxies.includes(from);
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
    if (name && fromTrustedProxy(c, config.auth.trustedProxies)) return { user: await accounts.userFromProxy(name), via: 'proxy' };
    return undefined;
  }
  const login = loginCookieValue(c);
  if (!login || !fromThePage(c, login)) return undefined;
  const user = await accounts.userOfLogin(login);
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
