import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { QueueFullError, TaskHandler, TaskStatus, type ITaskHandler, type TaskContext } from '../../lib/index.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

@Injectable()
class Calls {
  readonly log: { args: unknown; at: number; ctx: TaskContext }[] = [];
}

@TaskHandler('record')
class RecordTask implements ITaskHandler<unknown, string> {
  constructor(private readonly calls: Calls) {}
  execute(args: unknown, ctx: TaskContext): string {
    this.calls.log.push({ args, at: Date.now(), ctx });
    return `done:${JSON.stringify(args)}`;
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
const start = (queue = {}) =>
  startTestApp({ queue, providers: [Calls, RecordTask] }).then((started) => (app = started));
const calls = () => app!.app.get(Calls).log;

describe('delay and runAt (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));

  it('never starts a task before its delay, and starts it once the delay has passed', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(RecordTask, { n: 1 }, { delay: 5_000 });
    await jest.advanceTimersByTimeAsync(4_999);
    await scheduler.whenIdle();
    expect(calls()).toHaveLength(0);
    expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Pending);

    await jest.advanceTimersByTimeAsync(1);
    await scheduler.whenIdle();
    expect(calls().map((c) => c.args)).toEqual([{ n: 1 }]);
    const task = (await scheduler.getTask(id))!;
    expect(task.status).toBe(TaskStatus.Succeeded);
    expect(task.startedAt!.getTime()).toBeGreaterThanOrEqual(task.runAt.getTime());
    expect(task.runAt.getTime() - task.createdAt.getTime()).toBe(5_000);
  });

  it('runs a task at an absolute runAt, earlier-due tasks first', async () => {
    const { scheduler } = await start({ concurrency: 1 });
    const now = Date.now();
    await scheduler.schedule('record', 'late', { runAt: new Date(now + 2_000) });
    await scheduler.schedule('record', 'early', { runAt: new Date(now + 1_000) });
    await jest.advanceTimersByTimeAsync(1_500);
    await scheduler.whenIdle();
    expect(calls().map((c) => c.args)).toEqual(['early']);
    await jest.advanceTimersByTimeAsync(500);
    await scheduler.whenIdle();
    expect(calls().map((c) => [c.args, c.at - now])).toEqual([
      ['early', 1_000],
      ['late', 2_000],
    ]);
  });

  it('treats a runAt in the past as due now', async () => {
    const { scheduler } = await start();
    await scheduler.schedule('record', 'past', { runAt: new Date(Date.now() - 60_000) });
    await scheduler.whenIdle();
    expect(calls().map((c) => c.args)).toEqual(['past']);
  });
});

describe('what a task carries', () => {
  it('gives the handler its args and context, and getTask a full snapshot', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(
      'record',
      { email: 'a@b.c' },
      { name: 'welcome', metadata: { tenant: 't1' }, maxRetries: 2, partitionKey: 'user-1', priority: 4 },
    );
    await scheduler.whenIdle();
    const [call] = calls();
    expect(call!.ctx).toMatchObject({ taskId: id, handler: 'record', attempt: 1, metadata: { tenant: 't1' } });
    expect(call!.ctx.signal.aborted).toBe(false);
    const task = await scheduler.getTask(id);
    expect(task).toEqual({
      id,
      handler: 'record',
      name: 'welcome',
      args: { email: 'a@b.c' },
      status: TaskStatus.Succeeded,
      attempts: 1,
      maxRetries: 2,
      priority: 4,
      partitionKey: 'user-1',
      runAt: expect.any(Date),
      createdAt: expect.any(Date),
      startedAt: expect.any(Date),
      finishedAt: expect.any(Date),
      lastError: undefined,
      result: 'done:{"email":"a@b.c"}',
      metadata: { tenant: 't1' },
    });
    expect(await scheduler.getTask('no-such-task')).toBeUndefined();
  });

  it('lists tasks newest first and counts them by status', async () => {
    const { scheduler } = await start();
    const first = await scheduler.schedule('record', 1);
    await scheduler.whenIdle();
    const second = await scheduler.schedule('record', 2, { delay: 60_000 });
    expect((await scheduler.listTasks()).map((t) => t.id)).toEqual([second, first]);
    expect((await scheduler.listTasks({ status: TaskStatus.Pending })).map((t) => t.id)).toEqual([second]);
    expect(await scheduler.counts()).toEqual({
      waiting: 0,
      pending: 1,
      running: 0,
      succeeded: 1,
      failed: 0,
      cancelled: 0,
    });
  });
});

describe('priority', () => {
  it('runs higher priority first among due tasks', async () => {
    const { scheduler } = await start({ concurrency: 1 });
    // One store call adds all three, so they are due together when the single slot claims.
    await scheduler.scheduleMany([
      { handler: 'record', args: 'low', options: { priority: 0 } },
      { handler: 'record', args: 'high', options: { priority: 10 } },
      { handler: 'record', args: 'mid', options: { priority: 5 } },
    ]);
    await scheduler.whenIdle();
    expect(calls().map((c) => c.args)).toEqual(['high', 'mid', 'low']);
  });
});

describe('taskId (de-duplication)', () => {
  it('adds nothing for the id of an unfinished task, and runs again once it finished', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule('record', 'first', { taskId: 'welcome:42', delay: 60_000 });
    expect(id).toBe('welcome:42');
    expect(await scheduler.schedule('record', 'second', { taskId: 'welcome:42' })).toBe('welcome:42');
    expect((await scheduler.getTask(id))!.args).toBe('first');
    await scheduler.cancel(id);
    await scheduler.schedule('record', 'third', { taskId: 'welcome:42' });
    await scheduler.whenIdle();
    expect(calls().map((c) => c.args)).toEqual(['third']);
  });
});

describe('scheduleMany', () => {
  it('schedules every item, in one call', async () => {
    const { scheduler } = await start();
    const ids = await scheduler.scheduleMany([1, 2, 3].map((n) => ({ handler: RecordTask, args: n })));
    await scheduler.whenIdle();
    expect(ids).toHaveLength(3);
    expect(
      calls()
        .map((c) => c.args)
        .sort(),
    ).toEqual([1, 2, 3]);
  });
});

describe('maxQueueSize (back-pressure)', () => {
  it('rejects with QueueFullError above the limit, adding nothing, and accepts again once tasks ran', async () => {
    const { scheduler } = await start({ maxQueueSize: 2 });
    await scheduler.schedule('record', 1, { delay: 60_000 });
    await scheduler.schedule('record', 2, { delay: 60_000 });
    await expect(scheduler.schedule('record', 3)).rejects.toThrow(QueueFullError);
    await expect(scheduler.scheduleMany([{ handler: 'record', args: 4 }])).rejects.toThrow(QueueFullError);
    expect((await scheduler.counts()).pending).toBe(2);
    const [pending] = await scheduler.listTasks({ status: TaskStatus.Pending });
    await scheduler.cancel(pending!.id);
    await scheduler.schedule('record', 5);
    await scheduler.whenIdle();
    expect(calls().map((c) => c.args)).toEqual([5]);
  });
});
