import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/types.js';
import { ARTIFACTS, launchBrowser, startServer } from '../helpers/browser.js';
import { mock, MODEL_ENV } from '../helpers/openai-mock.js';
import { decide, say } from '../helpers/replies.js';

/** A failed turn in the browser: the error shows, nothing typed is lost, and Retry finishes the turn. */
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>['server'];
let base: string;
let deps: Deps;

beforeAll(async () => {
  ({ deps, server, base } = await startServer(MODEL_ENV));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('a failed turn in the browser', () => {
  it('keeps the typed answer when the request never reached the server, and Retry sends it', async () => {
    const id = deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'] }).id;
    const page = await browser.newPage();
    await page.goto(`${base}/#/session/${id}`);
    await page.waitForSelector('#answer');
    expect(await page.locator('#provider').textContent()).toBe('Model: gpt-test');
    await page.route('**/answer', (route) => route.abort());
    await page.locator('#answer').fill('Quorum writes across three AZs.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('alert')
      .getByText(/Could not reach the mockloop server/)
      .waitFor();
    expect(await page.locator('#answer').inputValue()).toBe('Quorum writes across three AZs.');
    expect(deps.loop.views.get(id).messages.filter((m) => m.kind === 'answer')).toHaveLength(0);

    await page.unroute('**/answer');
    mock.reply(decide('followup', 'depth'), say('What happens ', 'when a node fails?'));
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('.msg[data-kind="followup"]');
    expect(await page.locator('.msg[data-kind="followup"]').textContent()).toContain('What happens when a node fails?');
    expect(await page.locator('#answer').inputValue()).toBe('');
  }, 60_000);

  it('shows a model failure, keeps the saved answer, and Retry gets the reply without re-typing', async () => {
    const id = deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'] }).id;
    const page = await browser.newPage();
    await page.goto(`${base}/#/session/${id}`);
    await page.waitForSelector('#answer');
    mock.reply({ kind: 'status', status: 500 });
    await page.locator('#answer').fill('DynamoDB replicates each partition to three AZs.');
    await page.keyboard.press('Control+Enter');
    const alert = page.getByRole('alert');
    await alert.getByText(/server error \(500\).*Your answer is saved/).waitFor();
    expect(await page.locator('.msg.me').last().textContent()).toContain('DynamoDB replicates each partition to three AZs.');
    await page.screenshot({ path: `${ARTIFACTS}failed-turn.png`, fullPage: true });

    mock.reply(decide('followup', 'tradeoffs'), say('What does that cost you?'));
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('.msg[data-kind="followup"]');
    const answers = deps.loop.views.get(id).messages.filter((m) => m.kind === 'answer');
    expect(answers.map((m) => m.content)).toEqual(['DynamoDB replicates each partition to three AZs.']);
  }, 60_000);
});
