// RateLimitedError (issue 10): a handler told to slow down; the attempt does not count against maxRetries, and
// no other attempt of the handler (or of the task's rateLimitKey) starts before the delay has passed.
import {
  defineTask,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  RateLimitedError,
  TaskHandler,
  TaskStatus,
} from '../../lib/index.js';
import { DeploymentMessages } from '../../lib/engine/deployments/deployment.messages.js';
import { startTestApp, type TestApp } from '../support/task-queue-app.js';

const Partner = defineTask<{ slowDowns: number; ms?: number }>('partner-call', {
  maxRetries: 0,
  rateLimit: { limit: 100, interval: 1_000 },
});
const Broken = defineTask<{ ms: number }>('broken-slow-down', { maxRetries: 0 });

/** When each attempt threw RateLimitedError (epoch ms, just before the throw), by task id. */
const thrownAt = new Map<string, number[]>();

@TaskHandler(Partner)
class PartnerTask {
  execute(args: { slowDowns: number; ms?: number }, ctx: { taskId: string; attempt: number }) {
    if (ctx.attempt > args.slowDowns) return 'ok';
    const times = thrownAt.get(ctx.taskId) ?? [];
    thrownAt.set(ctx.taskId, [...times, Date.now()]);
    throw new RateLimitedError(args.ms ?? 20);
  }
}

@TaskHandler(Broken)
class BrokenTask {
  execute(args: { ms: number }) {
    throw new RateLimitedError(args.ms);
  }
}

describe('RateLimitedError', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    thrownAt.clear();
  });
  const start = async () =>
    (app = await startTestApp({ queue: { store: new InMemoryTaskStore() }, providers: [PartnerTask, BrokenTask] }));

  it('does not use up retries: three slow-downs and maxRetries 0, then success; each a failed event that retries', async () => {
    const { scheduler, events } = await start();
    const id = await scheduler.schedule(Partner, { slowDowns: 3 });
    expect(await scheduler.waitFor(id)).toMatchObject({ status: TaskStatus.Succeeded, attempts: 4, result: 'ok' });
    const failed = events.filter((e) => e.type === 'failed' && e.taskId === id);
    expect(failed).toHaveLength(3);
    for (const event of failed) {
      expect(event).toMatchObject({ willRetry: true, error: { name: 'RateLimitedError' } });
      expect(event.retryAt).toBeInstanceOf(Date);
    }
  });

  it('holds back the handler: no attempt of it starts anywhere before the delay has passed', async () => {
    const { scheduler, nextEvent } = await start();
    const first = await scheduler.schedule(Partner, { slowDowns: 1, ms: 300 });
    await nextEvent((e) => e.type === 'failed' && e.taskId === first);
    const second = await scheduler.schedule(Partner, { slowDowns: 0 });
    const [a, b] = [await scheduler.waitFor(first), await scheduler.waitFor(second)];
    const threw = thrownAt.get(first)![0]!;
    // The store postponed after the throw: both start after it plus the delay (the store's start times).
    expect(a.startedAt!.getTime()).toBeGreaterThanOrEqual(threw + 300);
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(threw + 300);
  });

  it("with a rateLimitKey, holds back only that key's tasks", async () => {
    const { scheduler, nextEvent } = await start();
    const held = await scheduler.schedule(Partner, { slowDowns: 1, ms: 60_000 }, { rateLimitKey: 'tenant:1' });
    await nextEvent((e) => e.type === 'failed' && e.taskId === held);
    const sameKey = await scheduler.schedule(Partner, { slowDowns: 0 }, { rateLimitKey: 'tenant:1' });
    const otherKey = await scheduler.schedule(Partner, { slowDowns: 0 }, { rateLimitKey: 'tenant:2' });
    const keyless = await scheduler.schedule(Partner, { slowDowns: 0 });
    for (const id of [otherKey, keyless]) expect((await scheduler.waitFor(id)).status).toBe(TaskStatus.Succeeded);
    for (const id of [held, sameKey]) expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Pending);
  });

  it('a negative or non-finite delay is refused where it is made, and the attempt fails as any error', async () => {
    expect(() => new RateLimitedError(-1)).toThrow(new InvalidTaskOptionsError(DeploymentMessages.badRetryAfter(-1)));
    expect(() => new RateLimitedError(Number.POSITIVE_INFINITY)).toThrow(InvalidTaskOptionsError);
    expect(new RateLimitedError(0).retryAfterMs).toBe(0);
    const { scheduler } = await start();
    const id = await scheduler.schedule(Broken, { ms: Number.NaN });
    expect(await scheduler.waitFor(id)).toMatchObject({
      status: TaskStatus.Failed,
      attempts: 1,
      lastError: { name: 'InvalidTaskOptionsError' },
    });
  });
});
