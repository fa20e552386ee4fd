import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer } from '../helpers/browser.js';

/**
 * The transcript grows by what is new: the messages already on the page keep their nodes, and its
 * live region (role=log) is given only the new ones, so a screen reader does not read the whole
 * interview again after every answer.
 */
let browser: Browser;
let base: string;
let server: Awaited<ReturnType<typeof startServer>>['server'];

beforeAll(async () => {
  ({ server, base } = await startServer({ PROVIDER: 'offline' }));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

type Change = { kind: 'added' | 'removed' | 'changed'; what: string; text: string; before: boolean };

/** From now on, records what happens to the transcript; what is already in it is marked as before. */
async function watch(page: Page) {
  await page.evaluate(() => {
    const log = document.querySelector('.transcript')!;
    const w = window as any;
    w.__changes = [];
    w.__observer?.disconnect();
    for (const child of log.children) (child as any).__before = true;
    const what = (n: Node) => (n instanceof HTMLElement ? (n.dataset.kind ?? n.dataset.testid ?? n.className) : n.nodeName);
    const record = (kind: string, n: Node) =>
      w.__changes.push({ kind, what: what(n), text: n.textContent ?? '', before: Boolean((n as any).__before) });
    w.__observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.target === log) {
          r.addedNodes.forEach((n) => record('added', n));
          r.removedNodes.forEach((n) => record('removed', n));
          continue;
        }
        // a change inside one of the transcript's items: which item?
        let item: Node | null = r.target;
        while (item && item.parentNode !== log) item = item.parentNode;
        if (item) record('changed', item);
      }
    });
    w.__observer.observe(log, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

const changes = (page: Page): Promise<Change[]> => page.evaluate(() => (window as any).__changes);

describe('the transcript', () => {
  it('appends new messages and leaves the ones already shown alone', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    // The questions are drawn at random: a fixed seed draws a first question that the short
    // answer below gets a follow-up on.
    await page.route('**/api/sessions', (route) =>
      route.request().method() === 'POST'
        ? route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), seed: 'e2e' }) })
        : route.continue(),
    );
    await page.goto(base);
    await page.getByRole('radio', { name: /^Custom/ }).check();
    await page.getByLabel('Behavioural', { exact: true }).fill('1');
    await page.getByLabel('Technical', { exact: true }).fill('1');
    await page.getByLabel('System design', { exact: true }).fill('0');
    await page.locator('#followups').selectOption('1');
    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');

    // Handles on the first messages, and a mark on their nodes, to tell later whether they are the same nodes.
    const opening = await page.locator('.msg[data-kind="opening"]').elementHandle();
    const firstQuestion = await page.locator('.msg[data-kind="question"]').elementHandle();
    await page.evaluate(() => document.querySelectorAll('.transcript .msg').forEach((el) => ((el as any).__mark = true)));
    const earlier = (await page.locator('.transcript').textContent())!;

    // First answer: the follow-up is added, nothing shown before is touched.
    await watch(page);
    await page.locator('#answer').fill('I was on a project at work once and I talked to my team about it.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForSelector('.msg[data-kind="followup"]');
    let seen = await changes(page);
    expect(seen.filter((c) => c.before)).toEqual([]);
    expect(seen.filter((c) => c.kind === 'removed').map((c) => c.what)).toEqual(['streaming']);
    expect(seen.filter((c) => c.kind === 'added' && c.what !== 'streaming').map((c) => c.what)).toEqual(['answer', 'followup']);

    // Second answer: graded, and the next question. The first interviewer messages are the same
    // nodes as before; the live region was given only the new answer, its card and the new question.
    const firstAnswer = await page.locator('.msg.me').elementHandle();
    await watch(page);
    await page
      .locator('#answer')
      .fill('I proposed the new design myself, wrote the plan, and we cut the release time from two weeks to two days.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid="feedback-card"]').waitFor();
    await expect.poll(() => page.locator('.msg[data-kind="question"]').count()).toBe(2);
    seen = await changes(page);
    expect(seen.filter((c) => c.before)).toEqual([]);
    expect(seen.filter((c) => c.kind === 'removed').map((c) => c.what)).toEqual(['streaming']);
    const added = seen.filter((c) => c.kind === 'added' && c.what !== 'streaming');
    expect(added.map((c) => c.what)).toEqual(['answer', 'feedback-card', 'q-marker', 'question']);
    for (const c of added) expect(earlier).not.toContain(c.text);

    const same = await page.evaluate(
      ([o, q, a]) => ({
        opening: o === document.querySelector('.msg[data-kind="opening"]') && (o as any).__mark === true,
        question: q === document.querySelector('.msg[data-kind="question"]') && (q as any).__mark === true,
        answer: a === document.querySelector('.msg.me'),
      }),
      [opening, firstQuestion, firstAnswer],
    );
    expect(same).toEqual({ opening: true, question: true, answer: true });
    // Each message once: the answer shown as sent became the stored one, it was not added again.
    expect(await page.locator('.msg.me').count()).toBe(2);
    expect(await page.locator('.msg.me[data-id]').count()).toBe(2);
    await context.close();
  }, 60_000);

  it('does not announce the reply word by word: the stored message is announced once, whole', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');
    await page.evaluate(() => {
      const w = window as any;
      w.__streamingLive = [];
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes)
            if (n instanceof HTMLElement && n.dataset.kind === 'streaming') w.__streamingLive.push(n.getAttribute('aria-live'));
      }).observe(document.querySelector('.transcript')!, { childList: true });
    });
    await page.locator('#answer').fill('I rolled back the change myself, and errors fell from 3% to 0.1% in 40 minutes.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.msg[data-kind="streaming"]').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => (window as any).__streamingLive)).toEqual(['off']);
    await context.close();
  }, 60_000);
});
