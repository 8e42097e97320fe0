import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium package; CHROMIUM_PATH points elsewhere. Playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `describe` where Chromium is installed; otherwise a skip with a clear line, or an error when
 * TASK_QUEUE_REQUIRE_CHROMIUM=1 (set by .ci/run, which installs it).
 */
export function describeWithBrowser(): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  if (process.env.TASK_QUEUE_REQUIRE_CHROMIUM === '1')
    throw new Error(`Chromium is required (TASK_QUEUE_REQUIRE_CHROMIUM=1) but ${CHROMIUM} does not exist.`);
  console.warn(
    `SKIPPED: the dashboard's browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
  return describe.skip;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/** A page that records console errors and uncaught exceptions, for the "no console errors" checks. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return { page, errors };
}
