import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../bench/calibration/story-pairs.js';
import { startStubModel } from '../../bench/stub-model.js';
import { readBankDir } from '../../src/bank/load.js';
import { codingEntries } from '../../src/coding/bank.js';
import { codingPack } from '../../src/coding/pack.js';
import { ARTIFACTS, launchBrowser, startServer } from '../helpers/browser.js';

/**
 * A whole SDE II loop in Chromium, offline and with a model in another process (the stub): pick
 * the loop, meet four interviewers and the Bar Raiser over two sittings, read each vote, and read
 * the debrief meeting's decision at SDE II.
 */
const bank = new Map([...readBankDir(), ...codingEntries(codingPack())].map((e) => [e.id, e]));
let browser: Browser;
let stub: Awaited<ReturnType<typeof startStubModel>>;
let offline: Awaited<ReturnType<typeof startServer>>;
let model: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  stub = await startStubModel();
  offline = await startServer({ PROVIDER: 'offline' });
  model = await startServer({
    PROVIDER: 'openai',
    OPENAI_BASE_URL: stub.url,
    OPENAI_API_KEY: 'sk-stub',
    MODEL: 'stub',
    OPENAI_MAX_RETRIES: '0',
  });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  offline?.server.close();
  model?.server.close();
  await stub?.close();
});

type SessionJson = {
  status: string;
  currentPosition: number;
  questions: Array<{ questionId: string; category: string }>;
  plan: { interviews: Array<{ interviewer: { name: string }; positions: number[] }> };
  debrief: { meeting: { decision: { outcome: string; level: string | null } } } | null;
};

async function session(base: string, id: string): Promise<SessionJson> {
  return (await fetch(`${base}/api/sessions/${id}`)).json() as Promise<SessionJson>;
}

/** Answers the current question: a story of its own for a behavioural one, the reference answer for the others. */
async function answerCurrent(page: Page, base: string, id: string, stories: string[]) {
  const s = await session(base, id);
  const q = s.questions[s.currentPosition]!;
  const text = q.category === 'behavioral' ? stories.pop()! : bank.get(q.questionId)!.referenceAnswer;
  const before = await page.locator('.msg').count();
  await page.locator('#answer').fill(text);
  await page.keyboard.press('Control+Enter');
  await expect
    .poll(async () => (await page.locator('.msg').count()) > before + 1 && !(await page.locator('[data-kind="streaming"]').count()), {
      timeout: 15_000,
    })
    .toBe(true);
}

async function runLoop(base: string, name: string) {
  const page = await browser.newPage();
  await page.goto(base);
  await page.getByRole('radio', { name: /SDE II loop/ }).waitFor();
  expect(await page.locator('#level').inputValue()).toBe('L5');
  await page.getByRole('radio', { name: /SDE II loop/ }).check();
  await page.locator('#followups').selectOption('0');
  await page.route('**/api/sessions', (route) =>
    route.request().method() === 'POST'
      ? route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), seed: `chromium-${name}` }) })
      : route.continue(),
  );
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await page.waitForSelector('.msg[data-kind="question"]');
  const id = new URL(page.url()).hash.split('/').at(-1)!;
  const plan = (await session(base, id)).plan;
  expect(plan.interviews).toHaveLength(5);
  await expect.poll(() => page.locator('#room-title').textContent()).toBe('Interview 1 of 5 · Elena Petrova');
  expect(await page.locator('[data-testid="interviewer"]').textContent()).toMatch(/Principal Engineer · owns .*system design/);

  const stories = JOBS.map((j) => j.told);
  // sitting 1: the first interview, then a break
  for (let i = 0; i < plan.interviews[0]!.positions.length; i++) await answerCurrent(page, base, id, stories);
  await page.locator('[data-testid="vote-card"]').first().waitFor();
  expect(await page.locator('[data-testid="vote-card"]').count()).toBe(1);
  expect(await page.locator('[data-testid="vote-card"] .vote').textContent()).toMatch(/^(Strongly )?(Not )?Inclined$/);
  expect(await page.locator('[data-testid="sitting"]').isVisible()).toBe(true);
  // each card says where its answer stands against the SDE II bar
  expect(await page.locator('[data-testid="bar"]').first().textContent()).toMatch(/^(Below|At|Above) the SDE II \(L5\) bar/);
  await page.getByRole('link', { name: 'History' }).first().click();
  await page.getByRole('link', { name: 'Continue' }).first().click();

  // sitting 2: the rest of the loop, from where it stopped
  await expect.poll(() => page.locator('#room-title').textContent()).toBe('Interview 2 of 5 · Priya Raman');
  for (;;) {
    const s = await session(base, id);
    if (s.status === 'finished') break;
    await answerCurrent(page, base, id, stories);
  }
  const meeting = page.locator('[data-testid="meeting"]');
  await meeting.waitFor();
  await page.screenshot({ path: `${ARTIFACTS}loop-${name}.png`, fullPage: true });
  expect(await page.locator('[data-testid="vote-card"]').count()).toBe(5);
  expect(await meeting.locator('[data-testid="vote-row"]').count()).toBe(5);
  expect(await meeting.locator('[data-testid="vote-row"]').last().textContent()).toMatch(/^Hannah Lee \(Bar Raiser\)/);
  expect(await meeting.locator('[data-testid="bar-raiser"]').textContent()).toMatch(/The Bar Raiser: Hannah Lee/);
  // the page shows the decision the server took by its rule
  const decision = (await session(base, id)).debrief!.meeting.decision;
  const words = {
    hire: 'Hire',
    hire_one_level_down: 'Hire one level down',
    no_hire: 'No hire',
    insufficient_evidence: 'Insufficient evidence',
  };
  expect(await meeting.locator('[data-testid="decision"]').textContent()).toBe(
    `${words[decision.outcome as keyof typeof words]}${decision.level ? ` at ${decision.level}` : ''}`,
  );
  expect(await meeting.textContent()).toMatch(/SDE II \(L5\)/);

  // History and Progress know the level
  await page.getByRole('link', { name: 'History' }).first().click();
  const row = page.locator('table.history tbody tr').first();
  await row.waitFor();
  expect(await row.locator('td').nth(1).textContent()).toBe('L5');
  expect(await row.locator('td').nth(2).textContent()).toBe('SDE II loop: 4 interviews and the Bar Raiser');
  await page.getByRole('link', { name: 'Progress' }).first().click();
  const levels = page.locator('[data-testid="progress-levels"] tbody tr');
  await levels.first().waitFor();
  expect(await levels.first().locator('td').first().textContent()).toBe('SDE II (L5)');

  // the stories told in the loop are in the story bank, mapped to the principles, with the gaps named
  await page.getByRole('link', { name: 'Stories' }).first().click();
  await page.locator('[data-testid="story-matrix"]').waitFor();
  expect(await page.locator('[data-testid="story-matrix"] tbody tr').count()).toBe(16);
  expect(await page.locator('[data-testid="story"]').count()).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: `${ARTIFACTS}stories-${name}.png`, fullPage: true });
  await page.close();
}

describe('an SDE II loop in the browser', () => {
  it('runs offline over two sittings through the debrief meeting', async () => {
    await runLoop(offline.base, 'offline');
  }, 120_000);

  it('runs with a model in another process over two sittings through the debrief meeting', async () => {
    await runLoop(model.base, 'model');
    expect(stub.requests.chat).toBeGreaterThan(10);
  }, 120_000);
});
