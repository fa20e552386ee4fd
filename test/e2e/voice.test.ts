import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubModel } from '../../bench/stub-model.js';
import { speechLikeWav } from '../helpers/audio.js';
import { ARTIFACTS, launchBrowser, startServer } from '../helpers/browser.js';

/**
 * Speaking answers in real headless Chromium with a fake microphone (a WAV file played as the
 * capture device), against a local transcription server in its own HTTP server (bench/stub-model).
 */
let browser: Browser;
let stub: Awaited<ReturnType<typeof startStubModel>>;
let voiced: Awaited<ReturnType<typeof startServer>>;
let typed: Awaited<ReturnType<typeof startServer>>;
let talking: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  const wav = join(mkdtempSync(join(tmpdir(), 'mockloop-mic-')), 'answer.wav');
  writeFileSync(wav, speechLikeWav());
  stub = await startStubModel();
  voiced = await startServer({ PROVIDER: 'offline', TRANSCRIPTION_BASE_URL: stub.url, KEEP_AUDIO: 'true', OPENAI_MAX_RETRIES: '0' });
  typed = await startServer({ PROVIDER: 'offline' });
  talking = await startServer({ PROVIDER: 'offline', SPEECH_MODEL: 'tts-1', SPEECH_BASE_URL: stub.url, OPENAI_MAX_RETRIES: '0' });
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  voiced?.server.close();
  typed?.server.close();
  talking?.server.close();
  await stub?.close();
});

async function newPage(base: string, init?: () => void): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(base);
  return page;
}

/** Starts a loop of one behavioural question without follow-ups. */
async function oneQuestion(page: Page) {
  await page.getByRole('radio', { name: /^Custom/ }).check();
  await page.getByLabel('Behavioural', { exact: true }).fill('1');
  await page.getByLabel('Technical', { exact: true }).fill('0');
  await page.getByLabel('System design', { exact: true }).fill('0');
  await page.locator('#followups').selectOption('0');
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await page.waitForSelector('.msg[data-kind="question"]');
}

/** Records about a second and a half from the fake microphone, watching the level meter move. */
async function speak(page: Page) {
  const mic = page.getByRole('button', { name: 'Speak' });
  await mic.click();
  await expect.poll(() => page.locator('.mic').getAttribute('aria-pressed')).toBe('true');
  await expect.poll(() => page.locator('.level-bar').evaluate((el) => parseFloat((el as HTMLElement).style.width) || 0)).toBeGreaterThan(0);
  expect(await page.locator('.voice-status').textContent()).toMatch(/Recording 00:0\d/);
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Stop' }).click();
}

const TYPED = 'I owned the outage: I rolled back the change, cut errors from 3% to 0.1% in 40 minutes, and added a canary.';

/** Types an answer and sends it, as a candidate without a microphone would; waits for its feedback. */
async function typeAnswer(page: Page) {
  await page.locator('#answer').fill(TYPED);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('[data-testid="feedback-card"]').waitFor();
}

describe('speaking an answer in the browser', () => {
  it('records from the microphone, shows the transcript to correct, grades it and replays it with delivery figures', async () => {
    const page = await newPage(voiced.base);
    await oneQuestion(page);
    expect(await page.locator('.voice-note').textContent()).toMatch(/Transcribed on this server \(whisper-1\)/);
    const before = stub.recordings.length;
    await speak(page);

    // The transcript is put in the answer box to confirm or correct; nothing is answered yet.
    await expect.poll(() => page.locator('#answer').inputValue()).toContain('I profiled the database calls');
    const received = stub.recordings.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ model: 'whisper-1', responseFormat: 'verbose_json' });
    expect(received[0]!.type).toMatch(/^audio\/(webm|ogg|mp4)/);
    expect(received[0]!.size).toBeGreaterThan(1000);
    const pending = page.locator('[data-testid="recording"]');
    expect(await pending.textContent()).toMatch(/correct it if needed, then Send/);
    expect(await pending.locator('audio').count()).toBe(1);
    expect(await page.locator('.msg.me').count()).toBe(0);

    await page.locator('#answer').fill((await page.locator('#answer').inputValue()).replace('catalogue', 'product catalogue'));
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.locator('[data-testid="feedback-card"]').first();
    await card.waitFor();
    expect(await card.locator('.score').textContent()).toMatch(/^\d+\/100$/);
    const delivery = card.locator('[data-testid="delivery"]');
    expect(await delivery.textContent()).toMatch(
      /00:30 of \d\d:00 · \d+ wpm · 2 fillers \(um 1, uh 1\) · 1 long pause · situation \d+% of the time/,
    );
    expect(await page.locator('.msg.me').textContent()).toContain('product catalogue');
    expect(await page.locator('.msg.me [data-testid="spoken"]').textContent()).toMatch(/spoken/);
    expect(await page.locator('[data-testid="debrief-delivery"]').textContent()).toMatch(/1 spoken answer/);
    await page.screenshot({ path: `${ARTIFACTS}voice-graded.png`, fullPage: true });

    // Replayed later, it reads the same, with the kept recording playable.
    const url = page.url();
    await page.goto(`${voiced.base}/#/history`);
    await page.goto(url);
    await page.locator('[data-testid="feedback-card"] [data-testid="delivery"]').waitFor();
    const src = await page.locator('.msg.me audio').getAttribute('src');
    expect(src).toMatch(/^\/api\/sessions\/[^/]+\/recordings\/[^/]+\/audio$/);
    const audio = await page.evaluate(async (u) => {
      const r = await fetch(u!);
      return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength };
    }, src);
    expect(audio).toEqual({ status: 200, type: received[0]!.type, size: received[0]!.size });
    await page.context().close();
  });

  it('keeps the recording when transcription fails, offers retry and discard, and typing still works', async () => {
    const page = await newPage(voiced.base);
    await oneQuestion(page);
    stub.set({ transcriptionFault: '500' });
    try {
      await speak(page);
      const pending = page.locator('[data-testid="recording"]');
      await expect.poll(() => pending.textContent()).toMatch(/transcription server had a server error \(500\).*retry, or type your answer/);
      expect(await pending.locator('audio').count()).toBe(1);
      expect(await page.locator('#answer').isEnabled()).toBe(true);
    } finally {
      stub.set({ transcriptionFault: null });
    }
    // A reload (or a closed tab) does not lose it: it is offered again, still playable.
    await page.reload();
    const kept = page.locator('[data-testid="recording"]');
    await expect.poll(() => kept.textContent()).toMatch(/not transcribed yet/);
    expect(await kept.locator('audio').count()).toBe(1);
    await page.getByRole('button', { name: 'Retry transcription' }).click();
    await expect.poll(() => page.locator('#answer').inputValue()).toContain('I profiled the database calls');

    // The transcript survives a reload too, until it is sent or discarded.
    await page.reload();
    await expect.poll(() => page.locator('#answer').inputValue()).toContain('I profiled the database calls');
    // Discarding it clears its transcript, for good; Esc cancels a recording before anything is sent.
    await page.getByRole('button', { name: 'Discard recording' }).click();
    expect(await page.locator('#answer').inputValue()).toBe('');
    const keptInBrowser = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('mockloop-recordings');
            open.onsuccess = () => {
              const count = open.result.transaction('pending').objectStore('pending').count();
              count.onsuccess = () => resolve(count.result);
            };
          }),
      );
    await expect.poll(keptInBrowser).toBe(0);
    const sent = stub.requests.transcriptions;
    await page.getByRole('button', { name: 'Speak' }).click();
    await expect.poll(() => page.locator('.mic').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.voice-status').textContent()).toMatch(/cancelled/);
    expect(stub.requests.transcriptions).toBe(sent);

    await typeAnswer(page);
    expect(await page.locator('[data-testid="delivery"]').count()).toBe(0);
    await page.context().close();
  });
});

describe('without a transcription server', () => {
  it("offers the browser's own recognition with a notice that audio may go to its vendor", async () => {
    const page = await newPage(typed.base);
    await oneQuestion(page);
    expect(await page.locator('.mic').isVisible()).toBe(true);
    expect(await page.locator('.voice-note').textContent()).toMatch(/may send your audio to the browser vendor/);
    // Headless Chromium has the recogniser but no service behind it: the failure is told, and typing goes on.
    await page.getByRole('button', { name: 'Speak' }).click();
    await page.waitForTimeout(3000);
    if ((await page.locator('.mic').getAttribute('aria-pressed')) === 'true') await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.locator('.voice-status').textContent(), { timeout: 10_000 }).toMatch(/type your answer/);
    expect(await page.locator('.mic').getAttribute('aria-pressed')).toBe('false');
    await typeAnswer(page);
    await page.context().close();
  });

  it("sends what the browser's recogniser heard, with its timing, and shows its delivery (a scripted recogniser)", async () => {
    // A stand-in for a browser whose recogniser works (Chrome with Google's service): it hears two phrases.
    // Its timers are the speech's own timing (phrases 300 ms apart), which the delivery figures measure.
    const page = await newPage(typed.base, () => {
      class FakeRecognition extends EventTarget {
        continuous = false;
        interimResults = false;
        lang = 'en-US';
        start() {
          const said = ['um I rolled back the change myself', 'and errors fell from 3% to 0.1% in 40 minutes'];
          said.forEach((text, i) =>
            setTimeout(
              () => {
                const result = Object.assign([{ transcript: text }], { isFinal: true });
                const results = said.slice(0, i + 1).map((_, j) => (j === i ? result : { isFinal: true, 0: { transcript: said[j] } }));
                this.dispatchEvent(Object.assign(new Event('result'), { resultIndex: i, results }));
              },
              300 + i * 300,
            ),
          );
        }
        stop() {
          setTimeout(() => this.dispatchEvent(new Event('end')), 50);
        }
        abort() {
          this.stop();
        }
      }
      (window as any).SpeechRecognition = FakeRecognition;
      (window as any).webkitSpeechRecognition = FakeRecognition;
    });
    await oneQuestion(page);
    await page.getByRole('button', { name: 'Speak' }).click();
    await page.waitForTimeout(1200);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect
      .poll(() => page.locator('#answer').inputValue())
      .toBe('um I rolled back the change myself and errors fell from 3% to 0.1% in 40 minutes');
    await page.locator('#answer').fill('I rolled back the change myself, and errors fell from 3% to 0.1% in 40 minutes.');
    await page.getByRole('button', { name: 'Send' }).click();
    const spoken = page.locator('.msg.me [data-testid="spoken"]');
    await spoken.waitFor();
    expect(await spoken.textContent()).toMatch(/spoken · browser recognition.*1 filler \(um 1\)/);
    await page.context().close();
  });

  it('hides the microphone where the browser has no recogniser, says why, and the answer is typed', async () => {
    const page = await newPage(typed.base, () => {
      delete (window as any).SpeechRecognition;
      delete (window as any).webkitSpeechRecognition;
    });
    await oneQuestion(page);
    expect(await page.locator('.mic').isVisible()).toBe(false);
    expect(await page.locator('.voice-note').textContent()).toMatch(/microphone is unavailable: this server has no transcription model/);
    await typeAnswer(page);
    await page.context().close();
  });
});

describe('hearing the interviewer', () => {
  it("reads each interviewer message aloud with the browser's voice, sentence by sentence, when switched on", async () => {
    const page = await newPage(typed.base, () => {
      (window as any).__said = [];
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void (window as any).__said.push(u.text);
    });
    await oneQuestion(page);
    const readAloud = page.getByLabel('Read the interviewer aloud');
    expect(await readAloud.isChecked()).toBe(false);
    await readAloud.check();
    await typeAnswer(page);
    const closing = (await page.locator('.msg[data-kind="closing"] .md').textContent())!.replace(/\s+/g, ' ').trim();
    await expect.poll(() => page.evaluate(() => (window as any).__said.length)).toBeGreaterThan(1);
    const said: string[] = await page.evaluate(() => (window as any).__said);
    // Spoken in sentences, which together are the whole message.
    expect(said.every((x) => x.length < closing.length)).toBe(true);
    expect(said.join(' ').replace(/\s+/g, ' ')).toContain(closing.split('. ')[0]);
    // The switch is remembered for the next loop.
    await page.goto(typed.base);
    await oneQuestion(page);
    expect(await page.getByLabel('Read the interviewer aloud').isChecked()).toBe(true);
    await page.context().close();
  });

  it("uses the server's speech model when SPEECH_MODEL is set", async () => {
    const page = await newPage(talking.base);
    await oneQuestion(page);
    await page.getByLabel('Read the interviewer aloud').check();
    const before = stub.spoken.length;
    await typeAnswer(page);
    await expect.poll(() => stub.spoken.length - before, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(stub.spoken.slice(before).join(' ')).toMatch(/Thank you/);
    await page.context().close();
  });
});
