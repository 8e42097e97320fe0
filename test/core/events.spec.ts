import { jest } from '@jest/globals';
import { FixedDelayRetryStrategy, TaskHandler, type ITaskHandler, type TaskContext } from '../../lib/index.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

@TaskHandler('twice')
class SucceedsOnSecondAttempt implements ITaskHandler {
  execute(_args: unknown, ctx: TaskContext) {
    if (ctx.attempt === 1) throw new Error('not yet');
    return 'ok';
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);

it('emits scheduled, started, failed (with when it retries), started, succeeded, in order', async () => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  app = await startTestApp({ providers: [SucceedsOnSecondAttempt] });
  const id = await app.scheduler.schedule('twice', undefined, {
    maxRetries: 1,
    retryStrategy: new FixedDelayRetryStrategy(500),
    partitionKey: 'p1',
    name: 'demo',
  });
  await app.scheduler.whenIdle();
  await jest.advanceTimersByTimeAsync(500);
  await app.scheduler.whenIdle();
  const now = new Date('2026-01-01T00:00:00Z').getTime();
  expect(app.events).toEqual([
    {
      type: 'scheduled',
      taskId: id,
      handler: 'twice',
      name: 'demo',
      partitionKey: 'p1',
      attempt: 0,
      timestamp: now,
      runAt: new Date(now),
    },
    {
      type: 'started',
      taskId: id,
      handler: 'twice',
      name: 'demo',
      partitionKey: 'p1',
      attempt: 1,
      timestamp: now,
      lateness: 0,
    },
    expect.objectContaining({
      type: 'failed',
      attempt: 1,
      willRetry: true,
      retryAt: new Date(now + 500),
      error: expect.objectContaining({ message: 'not yet' }),
    }),
    expect.objectContaining({ type: 'started', attempt: 2, timestamp: now + 500, lateness: 0 }),
    expect.objectContaining({ type: 'succeeded', attempt: 2, duration: 0 }),
  ]);
});

it('emits scheduled before started for every task of a burst', async () => {
  app = await startTestApp({ providers: [SucceedsOnSecondAttempt], queue: { concurrency: 5 } });
  const ids = await Promise.all(
    Array.from({ length: 20 }, () =>
      app!.scheduler.schedule('twice', undefined, { maxRetries: 1, retryStrategy: new FixedDelayRetryStrategy(0) }),
    ),
  );
  await app.scheduler.whenIdle();
  for (const id of ids) {
    const types = app.events.filter((e) => e.taskId === id).map((e) => e.type);
    expect(types).toEqual(['scheduled', 'started', 'failed', 'started', 'succeeded']);
  }
});
