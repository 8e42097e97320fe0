import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  FixedDelayRetryStrategy,
  TaskCancelledError,
  TaskHandler,
  TaskStatus,
  TaskTimeoutError,
  type ITaskHandler,
  type TaskContext,
} from '../../lib/index.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

@Injectable()
class Seen {
  readonly aborts: unknown[] = [];
  readonly started: string[] = [];
  readonly finished: string[] = [];
}

/** Waits until its signal aborts (a well-behaved long task), recording the reason. */
@TaskHandler('waits-for-signal')
class WaitsForSignalTask implements ITaskHandler {
  constructor(private readonly seen: Seen) {}
  execute(_args: unknown, ctx: TaskContext): Promise<void> {
    this.seen.started.push(ctx.taskId);
    return new Promise((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        this.seen.aborts.push(ctx.signal.reason);
        reject(ctx.signal.reason);
      });
    });
  }
}

/** Ignores its signal and finishes after `ms`. */
@TaskHandler('ignores-signal')
class IgnoresSignalTask implements ITaskHandler<{ ms: number }> {
  constructor(private readonly seen: Seen) {}
  async execute(args: { ms: number }, ctx: TaskContext) {
    await new Promise((resolve) => setTimeout(resolve, args.ms));
    this.seen.finished.push(ctx.taskId);
    return 'finished anyway';
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
const start = (queue = {}) =>
  startTestApp({ queue, providers: [Seen, WaitsForSignalTask, IgnoresSignalTask] }).then((started) => (app = started));
const seen = () => app!.app.get(Seen);

describe('timeout (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));

  it('aborts the signal with TaskTimeoutError when an attempt outlives its timeout, and retries', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(WaitsForSignalTask, undefined, {
      timeout: 1_000,
      maxRetries: 1,
      retryStrategy: new FixedDelayRetryStrategy(10),
    });
    await app!.nextEvent((e) => e.type === 'started');
    await jest.advanceTimersByTimeAsync(999);
    expect(seen().aborts).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(seen().aborts).toHaveLength(1);
    expect(seen().aborts[0]).toBeInstanceOf(TaskTimeoutError);
    await jest.advanceTimersByTimeAsync(1_010);
    await scheduler.whenIdle();
    expect(seen().aborts).toHaveLength(2);
    expect(await scheduler.getTask(id)).toMatchObject({
      status: TaskStatus.Failed,
      attempts: 2,
      lastError: { name: 'TaskTimeoutError', message: `Task ${id} timed out after 1000 ms` },
    });
  });

  it('records a handler that ignores the signal as timed out, once it returns', async () => {
    const { scheduler } = await start({ defaultTimeout: 100 });
    const id = await scheduler.schedule(IgnoresSignalTask, { ms: 500 });
    await jest.advanceTimersByTimeAsync(100);
    expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Running);
    await jest.advanceTimersByTimeAsync(400);
    await scheduler.whenIdle();
    expect(seen().finished).toEqual([id]);
    expect(await scheduler.getTask(id)).toMatchObject({
      status: TaskStatus.Failed,
      result: undefined,
      lastError: { name: 'TaskTimeoutError' },
    });
  });
  it('waits out a timeout longer than a Node timer can (2^31 ms), and aborts then', async () => {
    const timeout = 30 * 24 * 60 * 60 * 1000; // 30 days; Node fires a timer over ~24.8 days at once
    const { scheduler } = await start();
    await scheduler.schedule(WaitsForSignalTask, undefined, { timeout });
    await app!.nextEvent((e) => e.type === 'started');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(seen().aborts).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(timeout - 1_001);
    expect(seen().aborts).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(seen().aborts).toEqual([expect.any(TaskTimeoutError)]);
  });
});

describe('cancel', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));

  it('a pending task never runs', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(IgnoresSignalTask, { ms: 1 }, { delay: 1_000 });
    expect(await scheduler.cancel(id)).toBe(true);
    await jest.advanceTimersByTimeAsync(5_000);
    await scheduler.whenIdle();
    expect(seen().finished).toEqual([]);
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Cancelled, attempts: 0 });
    expect(app!.events.filter((e) => e.taskId === id).map((e) => e.type)).toEqual(['scheduled', 'cancelled']);
  });

  it('a running task sees its signal abort with TaskCancelledError, ends cancelled and is not retried', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(WaitsForSignalTask, undefined, {
      maxRetries: 3,
      retryStrategy: new FixedDelayRetryStrategy(1),
    });
    await app!.nextEvent((e) => e.type === 'started' && e.taskId === id);
    expect(await scheduler.cancel(id)).toBe(true);
    await scheduler.whenIdle();
    await jest.advanceTimersByTimeAsync(100);
    await scheduler.whenIdle();
    expect(seen().aborts).toHaveLength(1);
    expect(seen().aborts[0]).toBeInstanceOf(TaskCancelledError);
    expect(seen().started).toEqual([id]);
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Cancelled, attempts: 1 });
  });

  it('returns false for a finished or unknown task', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(IgnoresSignalTask, { ms: 1 });
    await jest.advanceTimersByTimeAsync(1);
    await scheduler.whenIdle();
    expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Succeeded);
    expect(await scheduler.cancel(id)).toBe(false);
    expect(await scheduler.cancel('unknown')).toBe(false);
  });
});
