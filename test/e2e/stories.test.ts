import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../bench/calibration/story-pairs.js';
import { ARTIFACTS, browserAndServer } from '../helpers/browser.js';

/** The Stories page after two scripted loops: the matrix, the gaps, and renaming, merging and deleting stories. */
const ctx = browserAndServer();

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${ctx.app.base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status === 204 ? null : res.json();
};

/** A scripted loop: these behavioural questions answered with these stories, no follow-ups. */
async function scriptedLoop(answers: Array<[string, string]>) {
  const s = await call('POST', '/api/sessions', { questionIds: answers.map(([q]) => q), maxFollowUps: 0, seed: 1 });
  for (const [, text] of answers) await call('POST', `/api/sessions/${s.id}/answer`, { text });
  return s.id as string;
}

const titles = (page: Page) => page.locator('[data-testid="story"] .story-title strong').allTextContents();

describe('the Stories page', () => {
  it('after two loops shows the stories mapped to the principles with the gaps named, and renames, merges and deletes them', async () => {
    await scriptedLoop([
      ['lp-ownership-1', JOBS[0]!.told],
      ['lp-dive-deep-1', JOBS[3]!.told],
    ]);
    await scriptedLoop([
      ['lp-deliver-results-1', JOBS[0]!.retold],
      ['lp-customer-obsession-1', JOBS[2]!.told],
    ]);
    const bank = await call('GET', '/api/stories');
    expect(bank.stories).toHaveLength(3);

    const page = await ctx.browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${ctx.app.base}/#/stories`);
    const matrix = page.locator('[data-testid="story-matrix"]');
    await matrix.waitFor();
    // 16 principles × 3 stories, each tick where the bank maps a story to a principle
    expect(await matrix.locator('tbody tr').count()).toBe(16);
    expect(await matrix.locator('thead th').allTextContents()).toEqual(['Principle', '#1', '#2', '#3']);
    const ticks = await matrix
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('th')!.textContent, [...r.querySelectorAll('td')].map((td) => td.textContent === '✓')]),
      );
    expect(ticks).toEqual(
      bank.coverage.map((c: { principle: string; stories: string[] }) => [
        c.principle,
        bank.stories.map((s: { id: string }) => c.stories.includes(s.id)),
      ]),
    );
    const gaps = page.locator('[data-testid="story-gaps"] li');
    expect(await gaps.allTextContents()).toContain('No story shows Frugality.');
    expect(await titles(page)).toEqual(bank.stories.map((s: { title: string }) => s.title));
    await page.screenshot({ path: `${ARTIFACTS}stories.png`, fullPage: true });

    // Rename #1 with the keyboard alone: the button, the field, Enter.
    await page.getByRole('button', { name: 'Rename story #1' }).focus();
    await page.keyboard.press('Enter');
    const field = page.getByLabel('Title of story #1');
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('The duplicate payouts');
    await page.keyboard.press('Enter');
    await expect.poll(() => titles(page)).toEqual(['The duplicate payouts', bank.stories[1].title, bank.stories[2].title]);
    await expect
      .poll(() => page.getByRole('button', { name: 'Rename story #1' }).evaluate((el) => el === document.activeElement))
      .toBe(true);
    // Escape leaves a rename without changing anything
    await page.getByRole('button', { name: 'Rename story #2' }).click();
    await page.getByLabel('Title of story #2').fill('Not this');
    await page.getByLabel('Title of story #2').press('Escape');
    expect(await titles(page)).toEqual(['The duplicate payouts', bank.stories[1].title, bank.stories[2].title]);

    // Merge #3 into #2: #3's principles join #2 in the matrix.
    await page.getByLabel('Merge story #3 into').selectOption({ label: `#2 ${bank.stories[1].title}` });
    await page.locator('[data-testid="story"]').nth(2).getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => titles(page)).toEqual(['The duplicate payouts', bank.stories[1].title]);
    const second = page.locator('[data-testid="story"]').nth(1);
    expect(await second.textContent()).toContain('Merged from 1 other story.');
    const merged = [...bank.stories[1].principles, ...bank.stories[2].principles].map((p: { name: string }) => p.name);
    for (const p of merged) expect(await matrix.locator('tbody tr', { hasText: p }).locator('td').nth(1).textContent()).toBe('✓');
    expect(await matrix.locator('thead th').allTextContents()).toEqual(['Principle', '#1', '#2']);

    // Delete #1 (confirmed): the principles it alone showed become gaps.
    await page.getByRole('button', { name: 'Delete story #1' }).click();
    await expect.poll(() => titles(page)).toEqual([bank.stories[1].title]);
    const after = await call('GET', '/api/stories');
    expect(await gaps.allTextContents()).toEqual([...after.gaps, ...after.overUsed]);
    const alone = bank.stories[0].principles.map((p: { name: string }) => p.name).filter((p: string) => !merged.includes(p));
    expect(alone.length).toBeGreaterThan(0);
    for (const p of alone) expect(await gaps.allTextContents()).toContain(`No story shows ${p}.`);

    // An edit that fails says why: the story was deleted elsewhere meanwhile.
    await call('DELETE', `/api/stories/${encodeURIComponent(after.stories[0].id)}`);
    await page.getByRole('button', { name: 'Rename story #1' }).click();
    await page.getByLabel('Title of story #1').fill('Too late');
    await page.getByLabel('Title of story #1').press('Enter');
    const error = page.locator('[data-testid="story-error"]');
    await expect.poll(() => error.textContent()).toMatch(/No story with id .* in your bank/);
    expect(await error.isVisible()).toBe(true);
    expect(await page.locator('[data-testid="story"]').count()).toBe(0);

    await page.getByText('No stories yet').waitFor();
    // The edits are the server's: the page opened again shows the same
    await page.reload();
    await page.getByText('No stories yet').waitFor();
    await page.close();
  }, 90_000);
});
