import { Injectable, type CanActivate } from '@nestjs/common';
import { InvalidTaskOptionsError, TaskStatus } from '../../lib/index.js';
import { TaskQueueDashboardModule } from '../../lib/dashboard/index.js';
import { DashboardMessages } from '../../lib/dashboard/dashboard.messages.js';
import { CONTENT_SECURITY_POLICY } from '../../lib/dashboard/nest/dashboard-headers.interceptor.js';
import { DASHBOARD_SCRIPT } from '../../lib/dashboard/client/dashboard.client.js';
import { DASHBOARD_HANDLERS } from './support/dashboard-handlers.js';
import { startDashboardApp, type DashboardApp, type Platform } from './support/dashboard-app.js';

@Injectable()
class RefuseAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

let dashboard: DashboardApp | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

const start = async (options: Parameters<typeof startDashboardApp>[0] = {}) =>
  (dashboard = await startDashboardApp({ providers: DASHBOARD_HANDLERS, ...options }));

/** The page's cookie and token, as the page's script sends them. */
async function session(d: DashboardApp): Promise<{ cookie: string; token: string }> {
  const response = await fetch(d.url);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const token = /data-csrf="([^"]+)"/.exec(await response.text())![1]!;
  return { cookie, token };
}

/** A JSON answer, typed loosely: the tests assert its shape. */
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

const post = (d: DashboardApp, path: string, headers: Record<string, string> = {}, body: unknown = {}) =>
  fetch(d.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function failedTask(d: DashboardApp, handler = 'flaky'): Promise<string> {
  const id = await d.scheduler.schedule(handler, {});
  await d.scheduler.whenIdle();
  expect((await d.scheduler.getTask(id))?.status).toBe(TaskStatus.Failed);
  return id;
}

describe('TaskQueueDashboardModule.forRoot() options', () => {
  const env = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = env;
  });

  it('refuses to start unguarded under NODE_ENV=production, unless allowUnauthenticated is set', () => {
    process.env.NODE_ENV = 'production';
    expect(() => TaskQueueDashboardModule.forRoot()).toThrow(DashboardMessages.unguardedInProduction());
    expect(() => TaskQueueDashboardModule.forRoot({ guards: [RefuseAll] })).not.toThrow();
    expect(() => TaskQueueDashboardModule.forRoot({ allowUnauthenticated: true })).not.toThrow();
  });

  it('ships a page script that parses (it is a string in the package, not compiled)', () => {
    expect(() => new Function(DASHBOARD_SCRIPT)).not.toThrow();
  });

  it('refuses bad options with InvalidTaskOptionsError naming them', () => {
    expect(() => TaskQueueDashboardModule.forRoot({ path: '/a b' })).toThrow(/`path`/);
    expect(() => TaskQueueDashboardModule.forRoot({ readonly: true } as never)).toThrow(/did you mean `readOnly`/);
    expect(() => TaskQueueDashboardModule.forRoot({ guards: [42] } as never)).toThrow(InvalidTaskOptionsError);
  });
});

describe.each<Platform>(['express', 'fastify'])('the dashboard on %s', (platform) => {
  it('serves its pages under the global prefix, with a CSP that forbids inline scripts', async () => {
    const d = await start({ platform, globalPrefix: 'admin', dashboard: { path: 'ops/queue' } });
    expect(d.url).toMatch(/\/admin\/ops\/queue$/);
    for (const path of ['', '/tasks?status=failed&handler=x', '/tasks/some-id']) {
      const response = await fetch(d.url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await response.text()).toContain('data-base="/admin/ops/queue"');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    const script = await fetch(d.url + '/assets/dashboard.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers the JSON API: overview counts, a filtered list, a task, 404 for an unknown one', async () => {
    const d = await start({ platform });
    const failed = await failedTask(d);
    const ok = await d.scheduler.schedule('ok', {});
    await d.scheduler.whenIdle();
    const overview = await body(fetch(d.url + '/api/overview'));
    expect(overview.counts).toMatchObject({ succeeded: 1, failed: 1 });
    expect(overview.byHandler).toMatchObject({ flaky: { failed: 1 }, ok: { succeeded: 1 } });
    expect(overview).toMatchObject({ paused: { queue: false, handlers: [] }, recurring: [] });
    expect(overview.workers).toEqual([expect.objectContaining({ handlers: expect.arrayContaining(['ok', 'flaky']) })]);
    expect(overview.features).toMatchObject({ pause: true, workers: true });
    const list = await body(fetch(`${d.url}/api/tasks?status=failed`));
    expect(list.tasks.map((t: { id: string }) => t.id)).toEqual([failed]);
    const prefix = await body(fetch(`${d.url}/api/tasks?id=${ok.slice(0, 8)}`));
    expect(prefix.tasks.map((t: { id: string }) => t.id)).toEqual([ok]);
    const task = await body(fetch(`${d.url}/api/tasks/${failed}`));
    expect(task).toMatchObject({
      id: failed,
      status: 'failed',
      lastError: { message: 'flaky failed' },
      argsShown: false,
    });
    expect(task.args).toBeUndefined();
    expect((await fetch(`${d.url}/api/tasks/nope`)).status).toBe(404);
    expect((await fetch(`${d.url}/api/tasks?limit=0`)).status).toBe(400);
  });

  it('acts only with the anti-CSRF token and from the same origin; GETs change nothing', async () => {
    const d = await start({ platform });
    const id = await failedTask(d);
    const { cookie, token } = await session(d);
    expect((await post(d, `/api/tasks/${id}/retry`)).status).toBe(403);
    expect((await post(d, `/api/tasks/${id}/retry`, { cookie, 'x-csrf-token': 'forged-token-value-123' })).status).toBe(
      403,
    );
    const crossSite = { cookie, 'x-csrf-token': token, origin: 'https://evil.example' };
    expect((await post(d, `/api/tasks/${id}/retry`, crossSite)).status).toBe(403);
    const fetchSite = { cookie, 'x-csrf-token': token, 'sec-fetch-site': 'cross-site' };
    expect((await post(d, `/api/tasks/${id}/retry`, fetchSite)).status).toBe(403);
    expect((await fetch(`${d.url}/api/tasks/${id}/retry`)).status).toBe(404);
    expect((await d.scheduler.getTask(id))?.status).toBe(TaskStatus.Failed);
    const allowed = await post(d, `/api/tasks/${id}/remove`, { cookie, 'x-csrf-token': token, origin: d.origin });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ ok: true });
    expect(await d.scheduler.getTask(id)).toBeUndefined();
  });

  it('retries and purges failed tasks in bulk; pauses and resumes the queue and a handler', async () => {
    const d = await start({ platform });
    const ids = [await failedTask(d), await failedTask(d)];
    const headers = await session(d).then(({ cookie, token }) => ({ cookie, 'x-csrf-token': token }));
    const retried = await post(d, '/api/bulk/retry', headers, { status: 'failed', handler: 'flaky' });
    expect(await retried.json()).toEqual({ retried: 2 });
    await d.scheduler.whenIdle();
    const purged = await post(d, '/api/bulk/purge', headers, { status: 'failed' });
    expect(await purged.json()).toEqual({ removed: 2 });
    for (const id of ids) expect(await d.scheduler.getTask(id)).toBeUndefined();
    expect((await post(d, '/api/pause', headers, {})).status).toBe(200);
    expect(await d.scheduler.isPaused()).toBe(true);
    expect((await post(d, '/api/pause', headers, { handler: 'flaky' })).status).toBe(200);
    expect((await body(fetch(d.url + '/api/overview'))).paused).toEqual({ queue: true, handlers: ['flaky'] });
    expect((await post(d, '/api/resume', headers, {})).status).toBe(200);
    expect((await post(d, '/api/resume', headers, { handler: 'flaky' })).status).toBe(200);
    expect(await d.scheduler.isPaused('flaky')).toBe(false);
    expect(await d.scheduler.isPaused()).toBe(false);
    expect((await post(d, '/api/bulk/purge', headers, { status: 'pending' })).status).toBe(400);
  });

  it('read-only: refuses every action with 403', async () => {
    const d = await start({ platform, dashboard: { readOnly: true } });
    const id = await failedTask(d);
    const { cookie, token } = await session(d);
    const refused = await post(d, `/api/tasks/${id}/retry`, { cookie, 'x-csrf-token': token });
    expect(refused.status).toBe(403);
    expect((await body(refused)).message).toBe(DashboardMessages.readOnly());
    expect((await d.scheduler.getTask(id))?.status).toBe(TaskStatus.Failed);
  });

  it('a guard that refuses blocks pages, assets, the API and the live stream', async () => {
    const d = await start({ platform, dashboard: { guards: [RefuseAll] } });
    for (const path of ['', '/tasks', '/tasks/x', '/assets/dashboard.js', '/api/overview', '/api/tasks', '/api/events'])
      expect([path, (await fetch(d.url + path)).status]).toEqual([path, 403]);
    expect((await post(d, '/api/tasks/x/cancel')).status).toBe(403);
  });

  it('streams a change event when a task changes', async () => {
    const d = await start({ platform });
    const controller = new AbortController();
    const response = await fetch(d.url + '/api/events', { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    await d.scheduler.schedule('ok', {});
    let text = '';
    while (!text.includes('event: change')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
  });

  it('escapes the task id it puts in the page', async () => {
    const d = await start({ platform });
    const html = await (await fetch(`${d.url}/tasks/${encodeURIComponent('"><script>alert(1)</script>')}`)).text();
    expect(html).toContain('data-task-id="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>alert');
  });
});
