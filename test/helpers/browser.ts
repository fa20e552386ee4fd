import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../src/app.js';
import { start } from '../../src/start.js';

/** Debian's Chromium, driven by playwright-core; .ci/run installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the e2e runs (git-ignored). */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

export function launchBrowser(extraArgs: string[] = []) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** The app on a free loopback port, with its own in-memory database (and a clock of the test's, if given). */
export async function startServer(env: Record<string, string> = {}, options: { now?: () => Date } = {}) {
  const deps = start({ DATABASE_PATH: ':memory:', ...env }, { log: () => {}, now: options.now });
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return { deps, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * The app on its own port and a Chromium for a test file: started before its tests, stopped after
 * them (the server, its sandbox's workers, the browser). Read `browser` and `app` inside the tests.
 */
export function browserAndServer(env: Record<string, string> = {}) {
  const ctx = {} as { browser: Browser; app: Awaited<ReturnType<typeof startServer>> };
  beforeAll(async () => {
    ctx.app = await startServer(env);
    ctx.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await ctx.browser?.close();
    ctx.app?.server.close();
    await ctx.app?.deps.sandbox.close();
  });
  return ctx;
}
