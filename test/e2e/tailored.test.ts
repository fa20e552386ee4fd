import { describe, expect, it } from 'vitest';
import { ARTIFACTS, browserAndServer } from '../helpers/browser.js';
import { BACKEND_JOB, pdfOf, RESUME, RESUME_PROJECT } from '../helpers/tailoring.js';

/** A loop tailored on the start screen: a job description pasted, a résumé read from a PDF, and the résumé question asked. */
const ctx = browserAndServer();

const STORY =
  'Ledgerline was my own double-entry ledger. Reconciliation took hours, so I designed the schema with partitioned tables and I wrote the reconciliation job myself. I measured it: reconciliation time fell by 65%. Next time I would add load tests earlier.';

describe('a tailored loop in the browser', () => {
  it('pastes a job description, reads the résumé from a PDF into the box, and asks about a project on it', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.app.base);
    await page.getByRole('radio', { name: /^One question/ }).check();
    await page.locator('#question-search').fill('DynamoDB');
    await expect.poll(() => page.locator('#question-pick option').count()).toBeGreaterThan(0);
    await page.locator('#followups').selectOption('0');
    await page.getByLabel('Job description').fill(BACKEND_JOB);

    // A file that is not a résumé: the error is said, and what is in the box stays.
    await page.getByLabel('Résumé', { exact: true }).fill('My own notes');
    await page
      .locator('#resume-file')
      .setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a not a pdf') });
    await expect
      .poll(() => page.getByTestId('resume-error').textContent())
      .toMatch(/photo\.pdf: The résumé must be a PDF or a Word document/);
    expect(await page.getByLabel('Résumé', { exact: true }).inputValue()).toBe('My own notes');

    // The PDF fills the box, to check and edit; what was typed can come back.
    await page.locator('#resume-file').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdfOf(RESUME)) });
    await expect.poll(() => page.getByTestId('resume-status').textContent()).toMatch(/from cv\.pdf \(PDF, 1 page\).*Ledgerline/);
    expect(await page.getByLabel('Résumé', { exact: true }).inputValue()).toContain('Reduced reconciliation time by 65%');
    expect(await page.getByTestId('resume-error').isHidden()).toBe(true);
    await expect(page.getByRole('button', { name: 'Bring back what I had typed' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}tailor-start.png`, fullPage: true });

    await page.getByRole('button', { name: 'Start the interview' }).click();
    await page.waitForSelector('.msg[data-kind="question"]');
    const tailoring = page.getByTestId('tailoring');
    await tailoring.locator('summary').first().click();
    expect(await tailoring.textContent()).toMatch(/read offline[\s\S]*Dive Deep[\s\S]*dive deep[\s\S]*Ledgerline/);
    // the texts themselves, as sent
    await tailoring.getByText('The job description').click();
    expect(await tailoring.locator('pre').first().textContent()).toBe(BACKEND_JOB);

    await page.getByRole('button', { name: 'Skip question' }).click();
    const asked = page.locator('.msg[data-kind="question"]', { hasText: `Walk me through ${RESUME_PROJECT} on your résumé` });
    await asked.waitFor();
    await page.locator('textarea#answer').fill(STORY);
    await page.getByRole('button', { name: 'Send' }).click();
    const note = page.getByTestId('rubric-only');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/Graded on the rubric only: a question made from your résumé has no reference answer/);
    await page.screenshot({ path: `${ARTIFACTS}tailor-room.png`, fullPage: true });
    await page.close();
  }, 90_000);
});
