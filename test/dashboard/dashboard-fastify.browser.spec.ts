import type { Browser } from 'playwright-core';
import { describeWithBrowser, launchBrowser, openPage } from './support/browser.js';
import { startDashboardApp, type DashboardApp } from './support/dashboard-app.js';
import { DASHBOARD_HANDLERS, HandlerLog } from './support/dashboard-handlers.js';

const SHOWN = { timeout: 10_000 };

/** The same dashboard on Fastify, under a global prefix: the pages load, update live and act. */
describeWithBrowser()('the dashboard in Chromium (Fastify smoke test)', () => {
  let browser: Browser;
  let dashboard: DashboardApp | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await dashboard?.close();
    await browser?.close();
  });

  it('shows the overview, and Retry on a failed task page runs it to succeeded', async () => {
    const d = (dashboard = await startDashboardApp({
      platform: 'fastify',
      globalPrefix: 'admin',
      providers: DASHBOARD_HANDLERS,
    }));
    const { page, errors } = await openPage(browser);
    const id = await d.scheduler.schedule('flaky', {});
    await d.scheduler.whenIdle();
    await page.goto(d.url);
    await page.locator('[data-count="failed"] .count', { hasText: '1' }).waitFor(SHOWN);
    await page.locator('[data-count="failed"]').click();
    await page.waitForURL(/\/admin\/task-queue\/tasks\?status=failed$/);
    await page.locator(`tr[data-task="${id}"] a`).click();
    await page.locator('#task-status', { hasText: 'failed' }).waitFor(SHOWN);
    d.app.get(HandlerLog).flakyPasses = true;
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('#task-status', { hasText: 'succeeded' }).waitFor(SHOWN);
    await page.close();
    expect(errors).toEqual([]);
  });
});
