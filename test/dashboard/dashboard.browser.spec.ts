import { mkdirSync } from 'node:fs';
import { Injectable, type CanActivate } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { TaskStatus, type ScheduleOptions } from '../../lib/index.js';
import { describeWithBrowser, launchBrowser, openPage } from './support/browser.js';
import { startDashboardApp, type DashboardApp } from './support/dashboard-app.js';
import { DASHBOARD_HANDLERS, HandlerLog } from './support/dashboard-handlers.js';

/**
 * The dashboard in a real headless Chromium (Debian's package, driven by playwright-core), on Express. Every
 * test also checks that the page logged no console error. Screenshots go to .tmp/screenshots, or to docs/ (the
 * README's) with UPDATE_SCREENSHOTS=1.
 */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs' : '.tmp/screenshots';
/** Generous: a page shows a change within a second; CI machines are slow. */
const SHOWN = { timeout: 10_000 };

@Injectable()
class RefuseAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

const XSS = '<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>';

describeWithBrowser()('the dashboard in Chromium (Express)', () => {
  let browser: Browser;
  let dashboard: DashboardApp | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    ({ page, errors } = await openPage(browser));
  });
  afterEach(async () => {
    // Closed before the app, so the live stream ends from the page's side.
    await page.close();
    await dashboard?.close();
    dashboard = undefined;
    expect(errors).toEqual([]);
  });

  const start = async (options: Parameters<typeof startDashboardApp>[0] = {}) =>
    (dashboard = await startDashboardApp({ providers: DASHBOARD_HANDLERS, ...options }));
  const log = () => dashboard!.app.get(HandlerLog);
  /** Schedules tasks and waits until this process ran every due one. */
  const seed = async (handler: string, n: number, args: unknown = {}, options: ScheduleOptions = {}) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await dashboard!.scheduler.schedule(handler, args, options));
    await dashboard!.scheduler.whenIdle();
    return ids;
  };
  const text = (selector: string) => page.locator(selector).first().textContent();

  it('shows the counts of a seeded queue on the overview, and updates them without a reload', async () => {
    const d = await start();
    await seed('ok', 3);
    await seed('flaky', 2);
    await d.scheduler.schedule('ok', {}, { delay: 60_000 });
    await page.goto(d.url);
    await page.locator('[data-count="succeeded"] .count', { hasText: '3' }).waitFor(SHOWN);
    expect(await text('[data-count="failed"] .count')).toBe('2');
    expect(await text('[data-count="pending"] .count')).toBe('1');
    expect(await text('[data-backlog="delayed"]')).toBe('1');
    expect(await text('tr[data-handler="flaky"]')).toContain('flaky');
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
    await seed('flaky', 1);
    await page.locator('[data-count="failed"] .count', { hasText: '3' }).waitFor(SHOWN);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    // By handler is read at most once a second (it may read every task): it follows soon after.
    await page.locator('tr[data-handler="flaky"] a', { hasText: '3' }).waitFor(SHOWN);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-overview.png`, fullPage: true });
  });

  it('lists exactly the failed tasks when filtered by failed', async () => {
    const d = await start();
    await seed('ok', 2);
    const failed = await seed('flaky', 3);
    await page.goto(`${d.url}/tasks?status=failed`);
    await page.locator('#task-table').waitFor(SHOWN);
    const listed = await page
      .locator('tr[data-task]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task')));
    expect([...listed].sort()).toEqual([...failed].sort());
    expect(await page.locator('tr[data-task] .status').allTextContents()).toEqual(['failed', 'failed', 'failed']);
    await page.locator('select[name="status"]').selectOption('succeeded');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=succeeded/);
    await page.locator('#task-table').waitFor(SHOWN);
    expect(await page.locator('tr[data-task]').count()).toBe(2);
  });

  it('Retry on a failed task page makes it run: its status reaches succeeded on the page, without a reload', async () => {
    const d = await start();
    const details = { name: 'Invoice 1042', partitionKey: 'customer-7', metadata: { tenant: 'acme' } };
    const [id] = await seed('flaky', 1, { invoice: 1042 }, details);
    await page.goto(`${d.url}/tasks/${id}`);
    await page.locator('#task-status', { hasText: 'failed' }).waitFor(SHOWN);
    expect(await text('.stack')).toContain('flaky failed');
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
    log().flakyPasses = true;
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('#task-status', { hasText: 'succeeded' }).waitFor(SHOWN);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    expect((await d.scheduler.getTask(id!))?.attempts).toBe(2);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-task.png`, fullPage: true });
  });

  it("Cancel on a running task aborts its handler's signal", async () => {
    const d = await start();
    const id = await d.scheduler.schedule('blocking', {});
    await log().whenStarted(id);
    await page.goto(`${d.url}/tasks/${id}`);
    await page.locator('#task-status', { hasText: 'running' }).waitFor(SHOWN);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('#task-status', { hasText: 'cancelled' }).waitFor(SHOWN);
    await d.scheduler.whenIdle();
    expect(log().aborted).toEqual([id]);
  });

  it('read-only: shows no action buttons, and the API answers 403', async () => {
    const d = await start({ dashboard: { readOnly: true } });
    const [id] = await seed('flaky', 1);
    await page.goto(`${d.url}/tasks/${id}`);
    await page.locator('#task-status', { hasText: 'failed' }).waitFor(SHOWN);
    expect(await page.locator('main button').count()).toBe(0);
    await page.goto(`${d.url}/tasks?status=failed`);
    await page.locator('#task-table').waitFor(SHOWN);
    expect(await page.locator('main button').count()).toBe(1); // Filter only
    const status = await page.evaluate(async (taskId) => {
      // Runs in the page (the tests' types have no DOM): the token and base the page's script uses.
      const { dataset } = (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } })
        .document.body;
      const token = dataset.csrf!;
      const base = dataset.base!;
      const init = {
        method: 'POST',
        headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/json' },
        body: '{}',
      };
      return (await fetch(`${base}/api/tasks/${taskId}/retry`, init)).status;
    }, id!);
    expect(status).toBe(403);
    expect((await d.scheduler.getTask(id!))?.status).toBe(TaskStatus.Failed);
    // The refused fetch is logged by Chromium as a failed resource load: expected here, and only here.
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('403')));
  });

  it('a guard that refuses blocks the page and the API', async () => {
    const d = await start({ dashboard: { guards: [RefuseAll] } });
    const response = await page.goto(d.url);
    expect(response?.status()).toBe(403);
    expect(await page.locator('#main').count()).toBe(0);
    const api = await page.evaluate(async (url) => (await fetch(`${url}/api/overview`)).status, d.url);
    expect(api).toBe(403);
    // Chromium logs the refused loads (and the tab icon it then asks /favicon.ico for): expected here, and only here.
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('Failed to load resource')));
  });

  it('renders an XSS payload in args, name and error as text, and runs nothing', async () => {
    const d = await start({ dashboard: { showArgs: true } });
    const id = await d.scheduler.schedule('hostile', { payload: XSS }, { name: XSS, metadata: { note: XSS } });
    await d.scheduler.whenIdle();
    await page.goto(`${d.url}/tasks/${id}`);
    await page.locator('#task-status', { hasText: 'failed' }).waitFor(SHOWN);
    expect(await text('p.error')).toContain(XSS);
    expect(await text('.stack')).toContain(XSS);
    expect(await text('#task-args')).toContain('window.__xss=2');
    expect(await page.locator('main').textContent()).toContain(XSS);
    await page.goto(`${d.url}/tasks`);
    await page.locator('#task-table').waitFor(SHOWN);
    expect(await page.locator('tr[data-task]').textContent()).toContain(XSS);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"], main script').count()).toBe(0);
  });
});
