import { Injectable } from '@nestjs/common';
import {
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  StoreOperationUnsupportedError,
  TaskHandler,
  TaskStatus,
  UnknownTaskError,
  type ITaskHandler,
  type ITaskStore,
  type TaskContext,
} from '../../lib/index.js';
import { OperatorMessages } from '../../lib/operators/operator.messages.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';

/** Fails while `failing` is set, recording each attempt's number. */
@Injectable()
class Switch {
  failing = true;
  readonly attempts: number[] = [];
}

@TaskHandler({ name: 'flaky', maxRetries: 1 })
class FlakyTask implements ITaskHandler {
  constructor(private readonly control: Switch) {}
  execute(_args: unknown, ctx: TaskContext) {
    this.control.attempts.push(ctx.attempt);
    if (this.control.failing) throw new Error(`attempt ${ctx.attempt} failed`);
    return 'done';
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
const start = (store?: ITaskStore) =>
  startTestApp({ queue: { store, defaultRetryStrategy: { nextDelay: () => 0 } }, providers: [Switch, FlakyTask] }).then(
    (started) => (app = started),
  );
const finished = (id: string, type: 'failed' | 'succeeded', attempt: number) =>
  app!.nextEvent((e) => e.taskId === id && e.type === type && e.attempt === attempt && !e.willRetry);

describe('TaskScheduler.retry()', () => {
  it('runs a failed task again with its whole retry budget, attempts counting on', async () => {
    const { scheduler, app: nest } = await start();
    const id = await scheduler.schedule('flaky', {});
    await finished(id, 'failed', 2);
    expect(await scheduler.retry(id)).toBe(true);
    // maxRetries 1 again: attempt 3 fails and retries, attempt 4 fails for good.
    await finished(id, 'failed', 4);
    expect(nest.get(Switch).attempts).toEqual([1, 2, 3, 4]);
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Failed, attempts: 4 });
    nest.get(Switch).failing = false;
    expect(await scheduler.retry(id)).toBe(true);
    await finished(id, 'succeeded', 5);
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'done' });
    expect(await scheduler.retry(id)).toBe(false);
  });

  it('emits a scheduled event, before the attempts it leads to, so observers see the task again', async () => {
    const { scheduler, app: nest } = await start();
    const id = await scheduler.schedule('flaky', {}, { metadata: { tenant: 't1' } });
    await finished(id, 'failed', 2);
    nest.get(Switch).failing = false;
    const before = Date.now();
    expect(await scheduler.retry(id)).toBe(true);
    await finished(id, 'succeeded', 3);
    const events = app!.events.filter((e) => e.taskId === id);
    expect(events.map((e) => [e.type, e.attempt])).toEqual([
      ['scheduled', 0],
      ['started', 1],
      ['failed', 1],
      ['started', 2],
      ['failed', 2],
      ['scheduled', 0],
      ['started', 3],
      ['succeeded', 3],
    ]);
    expect(events[5]).toMatchObject({ handler: 'flaky', runAt: expect.any(Date) });
    expect(events[5]!.runAt!.getTime()).toBeGreaterThanOrEqual(before);
    // Nothing is scheduled when nothing was re-queued.
    expect(await scheduler.retry(id)).toBe(false);
    expect(app!.events.filter((e) => e.taskId === id && e.type === 'scheduled')).toHaveLength(2);
  });
});

describe('TaskScheduler.remove() and purge()', () => {
  it('removes a pending task, so it never runs', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule('flaky', {}, { delay: 60_000 });
    expect(await scheduler.remove(id)).toBe(true);
    expect(await scheduler.getTask(id)).toBeUndefined();
    expect(await scheduler.remove(id)).toBe(false);
  });

  it('removes a waiting task of a flow: its dependent is cancelled, and waitFor on it ends', async () => {
    const { scheduler } = await start();
    const first = await scheduler.schedule('flaky', {}, { delay: 60_000 });
    const waiting = await scheduler.schedule('flaky', {}, { dependsOn: [first] });
    const last = await scheduler.schedule('flaky', {}, { dependsOn: [waiting] });
    const awaited = scheduler.waitFor(waiting);
    expect(await scheduler.remove(waiting)).toBe(true);
    // Removed as a cancelled task: a waiter that read it on its way out sees that, a later one finds it gone.
    const outcome = await awaited.then(
      (task) => task.status,
      (error: unknown) => (error instanceof UnknownTaskError ? 'gone' : error),
    );
    expect(['cancelled', 'gone']).toContain(outcome);
    expect(await scheduler.waitFor(last)).toMatchObject({ status: TaskStatus.Cancelled });
    expect(await scheduler.counts()).toMatchObject({ waiting: 0, pending: 1, cancelled: 1 });
  });

  it('purges finished tasks of a status and refuses a query that names no finished status', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule('flaky', {}, { maxRetries: 0 });
    await finished(id, 'failed', 1);
    await expect(scheduler.purge({ status: TaskStatus.Pending })).rejects.toThrow(InvalidTaskOptionsError);
    await expect(scheduler.purge({ status: [] })).rejects.toThrow(OperatorMessages.purgeStatus());
    await expect(scheduler.purge({ status: TaskStatus.Failed, finishedBefore: 5 as never })).rejects.toThrow(
      /finishedBefore/,
    );
    await expect(scheduler.purge({ status: TaskStatus.Failed, handlr: 'x' } as never)).rejects.toThrow(/handler/);
    expect(await scheduler.purge({ status: TaskStatus.Failed, handler: 'other' })).toBe(0);
    expect(await scheduler.purge({ status: TaskStatus.Failed })).toBe(1);
    expect(await scheduler.getTask(id)).toBeUndefined();
  });

  it('throws StoreOperationUnsupportedError for a custom store without the operators', async () => {
    const inner = new InMemoryTaskStore();
    // A store written before the operators existed: the contract's required methods only.
    const legacy: ITaskStore = {
      leaseTime: inner.leaseTime,
      serialization: inner.serialization,
      add: (t, o) => inner.add(t, o),
      claim: (r) => inner.claim(r),
      renew: (l) => inner.renew(l),
      complete: (l, r) => inner.complete(l, r),
      fail: (l, e, r) => inner.fail(l, e, r),
      cancel: (id) => inner.cancel(id),
      get: (id) => inner.get(id),
      list: (q) => inner.list(q),
      counts: () => inner.counts(),
      subscribe: (f) => inner.subscribe(f),
    };
    const { scheduler } = await start(legacy);
    await expect(scheduler.retry('x')).rejects.toThrow(StoreOperationUnsupportedError);
    await expect(scheduler.remove('x')).rejects.toThrow(OperatorMessages.unsupported('remove', 'Object'));
    await expect(scheduler.purge({ status: TaskStatus.Failed })).rejects.toThrow(StoreOperationUnsupportedError);
  });
});
