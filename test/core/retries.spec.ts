import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  ExponentialBackoffRetryStrategy,
  FixedDelayRetryStrategy,
  InvalidTaskOptionsError,
  LinearBackoffRetryStrategy,
  NonRetryableError,
  TaskHandler,
  TaskStatus,
  type IRetryStrategy,
  type ITaskHandler,
  type TaskContext,
} from '../../lib/index.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

/** Fails the first `failures` attempts of each task (by args.failures), then returns the attempt number. */
@Injectable()
class Attempts {
  readonly at: { attempt: number; time: number }[] = [];
}

@TaskHandler('flaky')
class FlakyTask implements ITaskHandler<{ failures: number; throwValue?: unknown }> {
  constructor(private readonly attempts: Attempts) {}
  async execute(args: { failures: number; throwValue?: unknown }, ctx: TaskContext) {
    this.attempts.at.push({ attempt: ctx.attempt, time: Date.now() });
    if (ctx.attempt <= args.failures) throw args.throwValue ?? new Error(`attempt ${ctx.attempt} failed`);
    return ctx.attempt;
  }
}

@TaskHandler({ name: 'fragile', maxRetries: 2, retryStrategy: new FixedDelayRetryStrategy(7) })
class FragileTask implements ITaskHandler<{ failures: number }> {
  constructor(private readonly attempts: Attempts) {}
  execute(args: { failures: number }, ctx: TaskContext) {
    this.attempts.at.push({ attempt: ctx.attempt, time: Date.now() });
    if (ctx.attempt <= args.failures) throw new Error('fragile');
  }
}

@TaskHandler('fatal')
class FatalTask implements ITaskHandler {
  constructor(private readonly attempts: Attempts) {}
  execute(_args: unknown, ctx: TaskContext) {
    this.attempts.at.push({ attempt: ctx.attempt, time: Date.now() });
    throw new NonRetryableError('card declined');
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
const start = (queue = {}) =>
  startTestApp({ queue, providers: [Attempts, FlakyTask, FragileTask, FatalTask] }).then((started) => (app = started));
const attempts = () => app!.app.get(Attempts).at;

describe('retry strategies', () => {
  it('exponential backoff: base * factor^(n-1), capped, with jitter taking up to its fraction off', () => {
    const noJitter = new ExponentialBackoffRetryStrategy({ baseDelay: 100, factor: 3, maxDelay: 1_000, jitter: 0 });
    expect([1, 2, 3, 4].map((n) => noJitter.nextDelay(n))).toEqual([100, 300, 900, 1_000]);
    const fullDraw = new ExponentialBackoffRetryStrategy({ baseDelay: 1_000, jitter: 0.5 }, () => 0.999_999);
    const zeroDraw = new ExponentialBackoffRetryStrategy({ baseDelay: 1_000, jitter: 0.5 }, () => 0);
    expect(fullDraw.nextDelay(1)).toBe(500);
    expect(zeroDraw.nextDelay(2)).toBe(2_000);
    const defaults = new ExponentialBackoffRetryStrategy();
    for (let i = 0; i < 100; i++) {
      const delay = defaults.nextDelay(1);
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });

  it('fixed and linear', () => {
    expect([1, 2, 3].map(() => new FixedDelayRetryStrategy(250).nextDelay())).toEqual([250, 250, 250]);
    const linear = new LinearBackoffRetryStrategy({ baseDelay: 100, step: 50, maxDelay: 180 });
    expect([1, 2, 3].map((n) => linear.nextDelay(n))).toEqual([100, 150, 180]);
  });

  it('rejects nonsense options with InvalidTaskOptionsError, as every other option check does', () => {
    expect(() => new FixedDelayRetryStrategy(-1)).toThrow(InvalidTaskOptionsError);
    expect(() => new FixedDelayRetryStrategy(-1)).toThrow('Expected `delay` to be a finite number from 0 up, got `-1`');
    expect(() => new ExponentialBackoffRetryStrategy({ jitter: 2 })).toThrow(
      'Expected `jitter` to be a finite number from 0 to 1, got `2`',
    );
    expect(() => new ExponentialBackoffRetryStrategy({ factor: 0.5 })).toThrow('`factor`');
    expect(() => new ExponentialBackoffRetryStrategy({ jitter: 2 })).toThrow('`jitter`');
    expect(() => new LinearBackoffRetryStrategy({ baseDelay: Number.NaN })).toThrow('`baseDelay`');
  });
});

describe('retries (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));

  it('retries a failed attempt after the strategy delay and succeeds', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(
      FlakyTask,
      { failures: 2 },
      { maxRetries: 3, retryStrategy: new FixedDelayRetryStrategy(1_000) },
    );
    await scheduler.whenIdle();
    expect(attempts().map((a) => a.attempt)).toEqual([1]);
    await jest.advanceTimersByTimeAsync(999);
    await scheduler.whenIdle();
    expect(attempts()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await scheduler.whenIdle();
    await jest.advanceTimersByTimeAsync(1_000);
    await scheduler.whenIdle();
    const t0 = attempts()[0]!.time;
    expect(attempts().map((a) => [a.attempt, a.time - t0])).toEqual([
      [1, 0],
      [2, 1_000],
      [3, 2_000],
    ]);
    expect(await scheduler.getTask(id)).toMatchObject({
      status: TaskStatus.Succeeded,
      attempts: 3,
      result: 3,
      lastError: { message: 'attempt 2 failed' },
    });
  });

  it('fails the task for good when retries run out, keeping the last error', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(
      FlakyTask,
      { failures: 99 },
      { maxRetries: 2, retryStrategy: new LinearBackoffRetryStrategy({ baseDelay: 10, step: 10 }) },
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await scheduler.whenIdle();
    expect(attempts().map((a) => a.attempt)).toEqual([1, 2, 3]);
    const task = (await scheduler.getTask(id))!;
    expect(task).toMatchObject({
      status: TaskStatus.Failed,
      attempts: 3,
      lastError: { name: 'Error', message: 'attempt 3 failed' },
    });
    expect(task.lastError!.stack).toContain('attempt 3 failed');
    const failed = app!.events.filter((e) => e.type === 'failed');
    expect(failed.map((e) => [e.attempt, e.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it('uses the handler defaults, and schedule options over them', async () => {
    const { scheduler } = await start();
    const byHandler = await scheduler.schedule(FragileTask, { failures: 5 });
    await jest.advanceTimersByTimeAsync(100);
    await scheduler.whenIdle();
    expect(await scheduler.getTask(byHandler)).toMatchObject({ status: TaskStatus.Failed, attempts: 3, maxRetries: 2 });
    const times = attempts().map((a) => a.time - attempts()[0]!.time);
    expect(times).toEqual([0, 7, 14]);

    const overridden = await scheduler.schedule(FragileTask, { failures: 5 }, { maxRetries: 0 });
    await scheduler.whenIdle();
    expect(await scheduler.getTask(overridden)).toMatchObject({ status: TaskStatus.Failed, attempts: 1 });
  });

  it('uses the module defaults for tasks and handlers that set none', async () => {
    const { scheduler } = await start({ defaultMaxRetries: 1, defaultRetryStrategy: new FixedDelayRetryStrategy(50) });
    const id = await scheduler.schedule(FlakyTask, { failures: 1 });
    await jest.advanceTimersByTimeAsync(50);
    await scheduler.whenIdle();
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2, maxRetries: 1 });
  });

  it('stops when a custom strategy returns null', async () => {
    const { scheduler } = await start();
    const stopAfterTwo: IRetryStrategy = { nextDelay: (attempt) => (attempt < 2 ? 5 : null) };
    const id = await scheduler.schedule(FlakyTask, { failures: 99 }, { maxRetries: 10, retryStrategy: stopAfterTwo });
    await jest.advanceTimersByTimeAsync(100);
    await scheduler.whenIdle();
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Failed, attempts: 2 });
  });
});

describe('errors that end a task at once', () => {
  it('NonRetryableError fails the task whatever retries remain', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(FatalTask, undefined, { maxRetries: 5 });
    await scheduler.whenIdle();
    expect(attempts()).toHaveLength(1);
    expect(await scheduler.getTask(id)).toMatchObject({
      status: TaskStatus.Failed,
      lastError: { name: 'NonRetryableError', message: 'card declined' },
    });
  });

  it('records a thrown non-Error value as a readable error', async () => {
    const { scheduler } = await start();
    const stringId = await scheduler.schedule(FlakyTask, { failures: 1, throwValue: 'plain string' });
    const objectId = await scheduler.schedule(FlakyTask, { failures: 1, throwValue: { code: 42 } });
    await scheduler.whenIdle();
    expect((await scheduler.getTask(stringId))!.lastError).toEqual({ name: 'NonErrorThrown', message: 'plain string' });
    expect((await scheduler.getTask(objectId))!.lastError).toEqual({ name: 'NonErrorThrown', message: '{"code":42}' });
  });
});
