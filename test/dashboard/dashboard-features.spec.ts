import { Subject } from 'rxjs';
import { DashboardActions } from '../../lib/dashboard/dashboard.actions.js';
import type { DashboardQueue, DashboardScheduler } from '../../lib/dashboard/dashboard-queue.js';
import { resolveDashboardOptions } from '../../lib/dashboard/dashboard-options.resolver.js';
import { DashboardReader } from '../../lib/dashboard/dashboard.reader.js';
import { TaskActivityRecorder } from '../../lib/dashboard/view/task-activity.recorder.js';
import { StoreOperationUnsupportedError, type TaskEvent } from '../../lib/index.js';

/** A scheduler with only what every queue has; tests add the features of later versions. */
function baseScheduler(): DashboardScheduler {
  return {
    events$: new Subject<TaskEvent>(),
    counts: async () => ({ waiting: 0, pending: 1, running: 0, succeeded: 0, failed: 0, cancelled: 0 }),
    getTask: async () => undefined,
    listTasks: async () => [],
    cancel: async () => false,
    retry: async () => false,
    remove: async () => false,
    purge: async () => 0,
  };
}

const options = resolveDashboardOptions({});

describe('the dashboard shows the features a queue has, and none it lacks', () => {
  it('without workers, pause or recurring schedules: null sections (the page says none) and no pause action', async () => {
    const queue: DashboardQueue = { scheduler: baseScheduler(), store: {} };
    const overview = await new DashboardReader(queue, options, new TaskActivityRecorder()).overview();
    expect(overview).toMatchObject({ byHandler: null, backlog: null, paused: null, workers: null, recurring: null });
    expect(overview.features).toEqual({ pause: false, workers: false, recurring: false });
    expect(await new DashboardActions(queue).pause('mail')).toBe(false);
  });

  it('where the store lacks them (StoreOperationUnsupportedError): null sections and no pause action', async () => {
    const refuse = async (): Promise<never> => {
      throw new StoreOperationUnsupportedError('no deployments');
    };
    const scheduler: DashboardScheduler = {
      ...baseScheduler(),
      listWorkers: refuse,
      pause: refuse,
      resume: refuse,
      isPaused: refuse,
    };
    const queue: DashboardQueue = { scheduler, store: {} };
    const overview = await new DashboardReader(queue, options, new TaskActivityRecorder()).overview();
    expect(overview).toMatchObject({ paused: null, workers: null });
    expect(overview.features).toMatchObject({ pause: false, workers: false });
    expect(await new DashboardActions(queue).pause('mail')).toBe(false);
    expect(await new DashboardActions(queue).resume()).toBe(false);
  });

  it('with listWorkers, listRecurring and pause/resume/isPaused: shows them, and pauses through them', async () => {
    const paused = new Set<string>();
    const worker = { id: 'w1', hostname: 'h', pid: 1, handlers: ['mail', 'report'], concurrency: 4, running: 1 };
    const schedule = { key: 'daily', handler: 'report', cron: '0 9 * * *', nextRunAt: new Date() };
    const scheduler: DashboardScheduler = {
      ...baseScheduler(),
      listWorkers: async () => [worker],
      listRecurring: async () => [schedule],
      pause: async (handler) => void paused.add(handler ?? '*'),
      resume: async (handler) => void paused.delete(handler ?? '*'),
      isPaused: async (handler) => paused.has(handler ?? '*'),
    };
    const queue: DashboardQueue = { scheduler, store: { countsByHandler: async () => ({ mail: { pending: 1 } }) } };
    const reader = new DashboardReader(queue, options, new TaskActivityRecorder());
    const actions = new DashboardActions(queue);
    expect(await actions.pause('report')).toBe(true);
    expect(await reader.overview()).toMatchObject({
      workers: [worker],
      recurring: [schedule],
      paused: { queue: false, handlers: ['report'] },
      features: { pause: true, workers: true, recurring: true },
    });
    await actions.pause();
    await actions.resume('report');
    expect((await reader.overview()).paused).toEqual({ queue: true, handlers: [] });
  });
});

describe('TaskActivityRecorder', () => {
  it('counts succeeded and failed-for-good tasks per minute over the last hour, oldest first', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 30);
    const recorder = new TaskActivityRecorder(() => now);
    const event = (type: TaskEvent['type'], willRetry?: boolean): TaskEvent =>
      ({ type, taskId: 't', handler: 'h', attempt: 1, timestamp: now, willRetry }) as TaskEvent;
    recorder.record(event('succeeded'));
    recorder.record(event('failed', true));
    recorder.record(event('failed', false));
    now += 61_000;
    recorder.record(event('succeeded'));
    const hour = recorder.lastHour();
    expect(hour).toHaveLength(60);
    expect(hour.slice(-2).map(({ succeeded, failed }) => [succeeded, failed])).toEqual([
      [1, 1],
      [1, 0],
    ]);
    now += 60 * 60_000;
    expect(recorder.lastHour().every((m) => m.succeeded === 0 && m.failed === 0)).toBe(true);
  });
});
