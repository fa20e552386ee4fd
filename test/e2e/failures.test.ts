import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/types.js';
import { ARTIFACTS, launchBrowser, startServer } from '../helpers/browser.js';
import { mock, MODEL_ENV } from '../helpers/openai-mock.js';
import { decide, gradeReply, say } from '../helpers/replies.js';

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
    const id = (await deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'] })).id;
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
    expect((await deps.loop.views.get(id)).messages.filter((m) => m.kind === 'answer')).toHaveLength(0);

    await page.unroute('**/answer');
    mock.reply(decide('followup', 'depth'), say('What happens ', 'when a node fails?'));
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('.msg[data-kind="followup"]');
    expect(await page.locator('.msg[data-kind="followup"]').textContent()).toContain('What happens when a node fails?');
    expect(await page.locator('#answer').inputValue()).toBe('');
  }, 60_000);

  it('shows a model failure, keeps the saved answer, and Retry gets the reply without re-typing', async () => {
    const id = (await deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'] })).id;
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
    const answers = (await deps.loop.views.get(id)).messages.filter((m) => m.kind === 'answer');
    expect(answers.map((m) => m.content)).toEqual(['DynamoDB replicates each partition to three AZs.']);
  }, 60_000);

  it('stores one answer when Send is double-clicked, and leaves the next question untouched', async () => {
    const id = (await deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 })).id;
    const page = await browser.newPage();
    await page.goto(`${base}/#/session/${id}`);
    await page.waitForSelector('#answer');
    mock.reply(gradeReply('technical', 3, 'Quorum writes across three AZs'), say('Thanks, next one.'));
    await page.locator('#answer').fill('Quorum writes across three AZs.');
    await page.getByRole('button', { name: 'Send' }).dblclick();
    await page.waitForSelector('[data-testid="feedback-card"]');
    await page.waitForTimeout(300);
    const s = await deps.loop.views.get(id);
    expect(s.messages.filter((m) => m.kind === 'answer').map((m) => m.content)).toEqual(['Quorum writes across three AZs.']);
    expect(s.questions[1]!.answeredAt).toBeNull();
    expect(s.questions[1]!.state).toBe('asked');
  }, 60_000);

  it('stores one answer when the connection drops after the server got it and the send is repeated', async () => {
    const id = (await deps.loop.createSession({ questionIds: ['amazon-32', 'amazon-31'], maxFollowUps: 0 })).id;
    const page = await browser.newPage();
    await page.goto(`${base}/#/session/${id}`);
    await page.waitForSelector('#answer');
    // The request reaches the server and the turn completes, but the page never sees the reply.
    mock.reply(gradeReply('technical', 3, 'Quorum writes across three AZs'), say('Thanks, next one.'));
    let keys: string[] = [];
    await page.route('**/answer', async (route) => {
      keys.push(route.request().headers()['idempotency-key']!);
      if (keys.length === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.locator('#answer').fill('Quorum writes across three AZs.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).waitFor();
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('[data-testid="feedback-card"]');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const s = await deps.loop.views.get(id);
    expect(s.messages.filter((m) => m.kind === 'answer')).toHaveLength(1);
    expect(s.questions[1]!.answeredAt).toBeNull();
    expect(await page.locator('.msg.me').count()).toBe(1);
    keys = [];
  }, 60_000);
});
