import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer } from '../helpers/browser.js';

/**
 * Cookie tossing: cookies do not keep ports apart, so a page on another port of the same host can
 * set a `mockloop_login` cookie the browser then sends to mockloop. Signed in with the attacker's
 * own sign-in, the victim would type their answers into the attacker's account.
 */
let browser: Browser;
let app: Awaited<ReturnType<typeof startServer>>;
let alice: string;
let mallorysLogin: string;
let evil: Server;
let evilBase: string;

beforeAll(async () => {
  app = await startServer({ AUTH: 'token' });
  await app.deps.accounts.addUser('alice');
  await app.deps.accounts.addUser('mallory');
  alice = (await app.deps.accounts.createToken('alice')).token;
  // Mallory signs in with her own token and keeps the cookie value mockloop gave her.
  const login = await fetch(`${app.base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.base },
    body: JSON.stringify({ token: (await app.deps.accounts.createToken('mallory')).token }),
  });
  expect(login.status).toBe(200);
  mallorysLogin = /^mockloop_login=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
  // Her page on another port of the same host: it sets the cookie as the query asks.
  evil = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.searchParams.get('path');
    if (url.pathname !== '/' || !path) return void res.writeHead(404).end(); // the favicon, say
    res
      .writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': `mockloop_login=${mallorysLogin}; Path=${path}; HttpOnly; SameSite=Lax`,
      })
      .end('<!doctype html><p>Nothing to see here.</p>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilBase = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  app?.server.close();
  evil?.close();
});

/** Who the page is signed in as, asked the page's own way (web/api.js): the user's name, or the status when signed out. */
async function whoAmI(context: BrowserContext): Promise<string | number> {
  const page = await context.newPage();
  await page.goto(app.base);
  // A string, so that vitest leaves the page's own import alone.
  const me = (await page.evaluate("import('/api.js').then(({ api }) => api.me().then((m) => m.user.name, (e) => e.status))")) as
    string | number;
  await page.close();
  return me;
}

async function aliceSignedIn(): Promise<BrowserContext> {
  browser ??= await launchBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(app.base);
  await page.getByLabel('API token').fill(alice);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Start the interview' }).waitFor();
  await page.close();
  expect(await whoAmI(context)).toBe('alice');
  return context;
}

describe('a sign-in cookie tossed from another port', () => {
  // A cookie of another path is a second cookie, sent along with alice's: the server believes
  // neither. A cookie of path / replaces alice's: the page's key does not match it.
  it.each(['/api', '/api/me', '/'])(
    'never signs the browser in as the other user (cookie path %s)',
    async (path) => {
      const context = await aliceSignedIn();
      const attack = await context.newPage();
      await attack.goto(`${evilBase}/?path=${encodeURIComponent(path)}`);
      expect(
        (await context.cookies(`${app.base}${path}`)).filter((c) => c.name === 'mockloop_login' && c.value === mallorysLogin),
      ).toHaveLength(1);
      expect(await whoAmI(context)).toBe(401);
      // The page asks to sign in again, and what alice does then is hers.
      const page = await context.newPage();
      await page.goto(app.base);
      await page.getByLabel('API token').fill(alice);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Start the interview' }).click();
      await page.waitForSelector('.msg[data-kind="question"]');
      const mallory = (await app.deps.accounts.userByName('mallory'))!;
      expect((await app.deps.loop.views.list(mallory.id)).items).toHaveLength(0);
      await context.close();
    },
    60_000,
  );
});
