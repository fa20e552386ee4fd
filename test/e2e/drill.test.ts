import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../helpers/app.js';
import { ARTIFACTS, launchBrowser, startServer } from '../helpers/browser.js';

/** "Practise next" as a button: a drill of what spaced repetition says is due, started from Progress. */
const DAY = 86_400_000;
const clock = testClock(Date.parse('2026-11-01T10:00:00Z'));
let browser: Browser;
let app: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  app = await startServer({}, { now: clock.now });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  app?.server.close();
});

describe('a drill of what is due', () => {
  it('starts from Progress with the question answered badly two days ago', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${app.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        (r) => r.json(),
      );
    const s = await post('/api/sessions', { questionIds: ['amazon-32'], maxFollowUps: 0, seed: 1 });
    await post(`/api/sessions/${s.id}/answer`, { text: "I don't know." });
    clock.advance(2 * DAY);

    const page = await browser.newPage();
    await page.goto(`${app.base}/#/progress`);
    const due = page.locator('[data-testid="due"]');
    await due.waitFor();
    expect(await due.textContent()).toMatch(/1 item due today/);
    await page.screenshot({ path: `${ARTIFACTS}due.png`, fullPage: true });
    await due.getByRole('button', { name: 'Practise what is due' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');
    const id = new URL(page.url()).hash.split('/').at(-1)!;
    const drill = (await (await fetch(`${app.base}/api/sessions/${id}`)).json()) as { questions: Array<{ questionId: string }> };
    expect(drill.questions.map((q) => q.questionId)).toEqual(['amazon-32']);
    await page.close();
  }, 60_000);

  it('practises one question picked from the bank', async () => {
    const page = await browser.newPage();
    await page.goto(app.base);
    await page.getByRole('radio', { name: /^One question/ }).check();
    await page.locator('#question-search').fill('DynamoDB');
    // the list follows the search (which also reads the reference answers)
    const all = (await (await fetch(`${app.base}/api/questions?q=DynamoDB&limit=20`)).json()) as { items: Array<{ id: string }> };
    await expect
      .poll(async () =>
        (await page.locator('#question-pick option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).join(),
      )
      .toBe(all.items.map((q) => q.id).join());
    const chosen = await page.locator('#question-pick').inputValue();
    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');
    const id = new URL(page.url()).hash.split('/').at(-1)!;
    const s = (await (await fetch(`${app.base}/api/sessions/${id}`)).json()) as { questions: Array<{ questionId: string }> };
    expect(s.questions.map((q) => q.questionId)).toEqual([chosen]);
    await page.close();
  }, 60_000);
});
