import { randomUUID } from 'node:crypto';
import {
  TaskStatus,
  type ITaskStore,
  type NewTask,
  type RetentionOptions,
  type TaskRecord,
} from '../../../lib/index.js';
import { DEPENDENCY_FAILED_ERROR, FlowMessages } from '../../../lib/task-queue-flows.messages.js';
import { newTask } from '../store-conformance.js';

/** What the conformance suite hands its parts: a fresh store per test, and its small helpers. */
export interface ConformanceContext {
  open(options?: { retention?: RetentionOptions }): Promise<ITaskStore>;
}

const claimAll = (store: ITaskStore, limit = 100) => store.claim({ workerId: 'w1', limit });
const leaseOf = (task: TaskRecord) => ({ taskId: task.id, token: task.leaseToken! });
const boom = { name: 'Error', message: 'boom' };
const statusOf = async (store: ITaskStore, id: string) => (await store.get(id))?.status;

/** Adds the tasks, claims them and fails each for good: they end `failed`. */
async function failAll(store: ITaskStore, tasks: NewTask[]): Promise<void> {
  await store.add(tasks);
  const ids = new Set(tasks.map((task) => task.id));
  let left = tasks.length;
  while (left > 0) {
    const claimed = (await claimAll(store, Math.min(left, 500))).tasks.filter((task) => ids.has(task.id));
    if (claimed.length === 0) throw new Error(`${left} tasks could not be claimed`);
    await Promise.all(claimed.map((task) => store.fail(leaseOf(task), boom, null)));
    left -= claimed.length;
  }
}

/** retry, remove and purge (the operators' calls), on every store. */
export function describeOperatorConformance(ctx: ConformanceContext): void {
  const { open } = ctx;
  const operators = (store: ITaskStore) => {
    const { retry, remove, purge, countsByHandler } = store;
    if (retry === undefined || remove === undefined || purge === undefined || countsByHandler === undefined)
      throw new Error('the store under test lacks retry, remove, purge or countsByHandler');
    return {
      retry: retry.bind(store),
      remove: remove.bind(store),
      purge: purge.bind(store),
      countsByHandler: countsByHandler.bind(store),
    };
  };
  /** A task claimed, then cancelled: cancelled, but its worker has not reported back yet. */
  const cancelledWhileRunning = async () => {
    const store = await open();
    const task = newTask();
    await store.add([task]);
    const [claimed] = (await claimAll(store)).tasks;
    await store.cancel(task.id);
    return { store, task, claimed };
  };

  describe('retry', () => {
    it('makes a failed task pending and due now with a fresh retry budget, attempts counting on', async () => {
      const store = await open();
      const task = newTask({ maxRetries: 1, runAt: Date.now() - 60_000 });
      await store.add([task]);
      for (let attempt = 1; attempt <= 2; attempt++) {
        const [claimed] = (await claimAll(store)).tasks;
        await store.fail(leaseOf(claimed!), boom, attempt === 1 ? 0 : null);
      }
      expect(await store.get(task.id)).toMatchObject({ status: TaskStatus.Failed, attempts: 2 });
      const before = Date.now();
      expect(await operators(store).retry(task.id)).toBe(true);
      const retried = await store.get(task.id);
      expect(retried).toMatchObject({ status: TaskStatus.Pending, attempts: 2, retryBase: 2, maxRetries: 1 });
      expect(retried!.finishedAt).toBeUndefined();
      expect(retried!.runAt).toBeGreaterThanOrEqual(before - 1_000);
      expect((await store.counts()).failed).toBe(0);
      expect((await store.counts()).pending).toBe(1);
      const [again] = (await claimAll(store)).tasks;
      expect(again).toMatchObject({ id: task.id, attempts: 3, retryBase: 2 });
      expect(await store.complete(leaseOf(again!), 'ok')).toBe(true);
      expect(await store.get(task.id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'ok', retryBase: 2 });
    });

    it('re-queues a cancelled task; refuses pending, running, succeeded and unknown ones', async () => {
      const store = await open();
      const cancelled = newTask();
      const pending = newTask({ runAt: Date.now() + 60_000 });
      const running = newTask();
      const succeeded = newTask();
      await store.add([cancelled, running, succeeded]);
      await store.cancel(cancelled.id);
      const claimed = (await claimAll(store)).tasks;
      await store.complete(leaseOf(claimed.find((t) => t.id === succeeded.id)!));
      await store.add([pending]);
      const { retry } = operators(store);
      for (const id of [pending.id, running.id, succeeded.id, 'no-such-task']) expect(await retry(id)).toBe(false);
      expect(await retry(cancelled.id)).toBe(true);
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([cancelled.id]);
    });

    it('refuses a task cancelled while running until its worker reports back', async () => {
      const { store, task, claimed } = await cancelledWhileRunning();
      expect(await operators(store).retry(task.id)).toBe(false);
      await store.fail(leaseOf(claimed!), { name: 'TaskCancelledError', message: 'cancelled' }, null);
      expect(await operators(store).retry(task.id)).toBe(true);
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([task.id]);
    });

    it('gives a task replaced after a retry its own budget again (the retry base does not carry over)', async () => {
      const store = await open();
      const task = newTask();
      await failAll(store, [task]);
      await operators(store).retry(task.id);
      const [claimed] = (await claimAll(store)).tasks;
      await store.complete(leaseOf(claimed!));
      expect(await store.add([task])).toEqual([true]);
      const replaced = await store.get(task.id);
      expect(replaced).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });
      expect(replaced!.retryBase).toBeUndefined();
    });

    it('puts a partition task at the back of its partition, behind the tasks already due', async () => {
      const store = await open();
      const failed = newTask({ partitionKey: 'p' });
      await failAll(store, [failed]);
      // Order in a partition is (runAt, insertion order); a retried task is due now, so behind these.
      const holder = newTask({ partitionKey: 'p', runAt: Date.now() - 2_000 });
      const queued = newTask({ partitionKey: 'p', runAt: Date.now() - 1_000 });
      await store.add([holder, queued]);
      const [running] = (await claimAll(store)).tasks;
      expect(running!.id).toBe(holder.id);
      expect(await operators(store).retry(failed.id)).toBe(true);
      expect((await claimAll(store)).tasks).toHaveLength(0);
      await store.complete(leaseOf(running!));
      const [second] = (await claimAll(store)).tasks;
      expect(second!.id).toBe(queued.id);
      await store.complete(leaseOf(second!));
      expect((await claimAll(store)).tasks.map((t) => [t.id, t.status])).toEqual([[failed.id, TaskStatus.Running]]);
    });

    it('runs a retried partition task at once when its partition is free', async () => {
      const store = await open();
      const failed = newTask({ partitionKey: 'free' });
      await failAll(store, [failed]);
      expect(await operators(store).retry(failed.id)).toBe(true);
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([failed.id]);
    });
  });

  describe('remove', () => {
    it('deletes a pending task (it never runs) and a finished one; refuses running and unknown ones', async () => {
      const store = await open();
      const pending = newTask({ runAt: Date.now() + 60_000 });
      const running = newTask();
      const finished = newTask();
      await failAll(store, [finished]);
      await store.add([pending, running]);
      const [claimed] = (await claimAll(store)).tasks;
      expect(claimed!.id).toBe(running.id);
      const { remove } = operators(store);
      expect(await remove(running.id)).toBe(false);
      expect(await remove('no-such-task')).toBe(false);
      expect(await remove(pending.id)).toBe(true);
      expect(await remove(finished.id)).toBe(true);
      expect(await remove(pending.id)).toBe(false);
      for (const id of [pending.id, finished.id]) expect(await store.get(id)).toBeUndefined();
      expect(await store.counts()).toEqual({
        waiting: 0,
        pending: 0,
        running: 1,
        succeeded: 0,
        failed: 0,
        cancelled: 0,
      });
      expect((await store.list()).map((t) => t.id)).toEqual([running.id]);
      expect(await store.complete(leaseOf(claimed!))).toBe(true);
    });

    it('removes a pending flow task under a retention that keeps no finished task', async () => {
      const store = await open({ retention: { maxCount: 0 } });
      const p = newTask({ runAt: Date.now() + 60_000 });
      const d = newTask({ dependsOn: [p.id], onDependencyFailure: 'cancel' });
      await store.add([p, d]);
      expect(await operators(store).remove(p.id)).toBe(true);
      expect(await store.get(p.id)).toBeUndefined();
      const counts = await store.counts();
      expect(Object.values(counts).every((n) => n >= 0)).toBe(true);
      expect(counts).toMatchObject({ waiting: 0, pending: 0, running: 0 });
      expect(counts.cancelled).toBeLessThanOrEqual(1);
    });

    it('refuses a task cancelled while running until its worker reports back', async () => {
      const { store, task, claimed } = await cancelledWhileRunning();
      expect(await operators(store).remove(task.id)).toBe(false);
      await store.fail(leaseOf(claimed!), { name: 'TaskCancelledError', message: 'cancelled' }, null);
      expect(await operators(store).remove(task.id)).toBe(true);
    });

    it('lets the next task of a partition go when its pending head is removed', async () => {
      const store = await open();
      const head = newTask({ partitionKey: 'p', runAt: Date.now() - 1_000 });
      const next = newTask({ partitionKey: 'p' });
      await store.add([head, next]);
      expect(await operators(store).remove(head.id)).toBe(true);
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([next.id]);
    });

    it('frees the partition held by a task waiting for its retry', async () => {
      const store = await open();
      const head = newTask({ partitionKey: 'p', maxRetries: 1 });
      const next = newTask({ partitionKey: 'p' });
      await store.add([head, next]);
      const [claimed] = (await claimAll(store)).tasks;
      await store.fail(leaseOf(claimed!), boom, 60_000);
      expect((await claimAll(store)).tasks).toHaveLength(0);
      expect(await operators(store).remove(head.id)).toBe(true);
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([next.id]);
    });
  });

  describe('purge', () => {
    it('removes the finished tasks of the given status and handler, finished before the given time', async () => {
      const store = await open();
      const mine = [newTask(), newTask()];
      const other = newTask({ handler: 'other-handler' });
      await failAll(store, [...mine, other]);
      const succeeded = newTask();
      const cancelled = newTask();
      const pending = newTask({ runAt: Date.now() + 60_000 });
      await store.add([succeeded, cancelled, pending]);
      await store.cancel(cancelled.id);
      const [claimed] = (await claimAll(store)).tasks;
      await store.complete(leaseOf(claimed!));
      const { purge } = operators(store);
      const longAgo = new Date(Date.now() - 60 * 60_000);
      expect(await purge({ status: TaskStatus.Failed, finishedBefore: longAgo })).toBe(0);
      expect(await purge({ status: TaskStatus.Failed, handler: 'test-handler' })).toBe(2);
      expect(await store.counts()).toMatchObject({ failed: 1, succeeded: 1, cancelled: 1, pending: 1 });
      expect(
        await purge({
          status: [TaskStatus.Failed, TaskStatus.Cancelled],
          finishedBefore: new Date(Date.now() + 60_000),
        }),
      ).toBe(2);
      expect((await store.list()).map((t) => t.id).sort()).toEqual([succeeded.id, pending.id].sort());
      expect(await store.counts()).toEqual({
        waiting: 0,
        pending: 1,
        running: 0,
        succeeded: 1,
        failed: 0,
        cancelled: 0,
      });
    });

    it('leaves a task cancelled while running until its worker reports back', async () => {
      const store = await open();
      const task = newTask();
      await store.add([task]);
      await claimAll(store);
      await store.cancel(task.id);
      expect(await operators(store).purge({ status: TaskStatus.Cancelled })).toBe(0);
      expect((await store.get(task.id))?.status).toBe(TaskStatus.Cancelled);
    });

    it('removes more tasks than one batch holds (durable stores delete 1,000 at a time)', async () => {
      const store = await open();
      const base = randomUUID();
      const tasks = Array.from({ length: 2_345 }, (_, i) => newTask({ id: `${base}-${i}` }));
      await failAll(store, tasks);
      expect((await store.counts()).failed).toBe(tasks.length);
      expect(await operators(store).purge({ status: TaskStatus.Failed })).toBe(tasks.length);
      expect((await store.counts()).failed).toBe(0);
      expect(await store.list()).toEqual([]);
    }, 60_000);
  });

  describe('remove and purge in flows (dependsOn)', () => {
    /** Claims the due tasks and completes those named. */
    const complete = async (store: ITaskStore, ids: string[]) => {
      const claimed = (await claimAll(store)).tasks.filter((t) => ids.includes(t.id));
      expect(claimed.map((t) => t.id).sort()).toEqual([...ids].sort());
      for (const task of claimed) expect(await store.complete(leaseOf(task))).toBe(true);
    };

    it('remove refuses a finished task an unfinished one depends on, and removes it once that one finished', async () => {
      const store = await open();
      const a = newTask();
      const b = newTask({ dependsOn: [a.id], onDependencyFailure: 'cancel' });
      await store.add([a, b]);
      await complete(store, [a.id]);
      expect(await statusOf(store, b.id)).toBe(TaskStatus.Pending);
      expect(await operators(store).remove(a.id)).toBe(false);
      expect(await statusOf(store, a.id)).toBe(TaskStatus.Succeeded);
      await complete(store, [b.id]);
      expect(await operators(store).remove(a.id)).toBe(true);
      expect(await store.get(a.id)).toBeUndefined();
    });

    it('purge skips finished tasks an unfinished one depends on (as retention does), and takes them once it finished', async () => {
      const store = await open();
      const a = newTask();
      const c = newTask();
      const other = newTask();
      const b = newTask({ dependsOn: [a.id, c.id], onDependencyFailure: 'cancel' });
      await store.add([a, c, other, b]);
      const claimed = (await claimAll(store)).tasks;
      for (const task of claimed.filter((t) => t.id !== c.id)) await store.complete(leaseOf(task));
      const { purge } = operators(store);
      expect(await purge({ status: TaskStatus.Succeeded })).toBe(1);
      expect(await store.get(other.id)).toBeUndefined();
      expect(await statusOf(store, a.id)).toBe(TaskStatus.Succeeded);
      await store.complete(leaseOf(claimed.find((t) => t.id === c.id)!));
      expect(await purge({ status: TaskStatus.Succeeded })).toBe(0);
      expect(await statusOf(store, a.id)).toBe(TaskStatus.Succeeded);
      await complete(store, [b.id]);
      expect(await purge({ status: TaskStatus.Succeeded })).toBe(3);
      expect(await store.list()).toEqual([]);
    });

    it("removing a pending task settles its dependents as a cancel would: 'cancel' ones are cancelled, 'run' ones run", async () => {
      const store = await open();
      const p = newTask({ runAt: Date.now() + 60_000 });
      const cancels = newTask({ dependsOn: [p.id], onDependencyFailure: 'cancel' });
      const runs = newTask({ dependsOn: [p.id], onDependencyFailure: 'run' });
      const after = newTask({ dependsOn: [cancels.id], onDependencyFailure: 'cancel' });
      await store.add([p, cancels, runs, after]);
      expect(await operators(store).remove(p.id)).toBe(true);
      expect(await store.get(p.id)).toBeUndefined();
      expect(await store.get(cancels.id)).toMatchObject({
        status: TaskStatus.Cancelled,
        lastError: {
          name: DEPENDENCY_FAILED_ERROR,
          message: FlowMessages.dependencyFailed(cancels.id, p.id, 'cancelled'),
        },
      });
      expect(await statusOf(store, after.id)).toBe(TaskStatus.Cancelled);
      expect(await store.counts()).toEqual({
        waiting: 0,
        pending: 1,
        running: 0,
        succeeded: 0,
        failed: 0,
        cancelled: 2,
      });
      await complete(store, [runs.id]);
    });

    it('removing a waiting task settles its dependents, and it no longer holds its own dependencies', async () => {
      const store = await open();
      const a = newTask();
      const w = newTask({ dependsOn: [a.id], onDependencyFailure: 'cancel' });
      const v = newTask({ dependsOn: [w.id], onDependencyFailure: 'cancel' });
      await store.add([a, w, v]);
      const [running] = (await claimAll(store)).tasks;
      expect(running!.id).toBe(a.id);
      expect(await operators(store).remove(w.id)).toBe(true);
      expect(await store.get(w.id)).toBeUndefined();
      expect(await statusOf(store, v.id)).toBe(TaskStatus.Cancelled);
      expect(await store.complete(leaseOf(running!))).toBe(true);
      // Nothing unfinished depends on `a` any more: remove and purge may take it.
      expect(await operators(store).purge({ status: TaskStatus.Succeeded })).toBe(1);
      expect((await store.list()).map((t) => t.id)).toEqual([v.id]);
      expect((await store.counts()).waiting).toBe(0);
    });
  });

  describe('countsByHandler', () => {
    it('counts every task by handler and status, also past one scan chunk', async () => {
      const store = await open();
      const base = randomUUID();
      const many = Array.from({ length: 2_100 }, (_, i) =>
        newTask({ id: `${base}-${i}`, handler: 'bulk', runAt: Date.now() + 60_000 }),
      );
      await store.add(many);
      await failAll(store, [newTask({ handler: 'mail' })]);
      await store.add([newTask({ handler: 'mail', runAt: Date.now() + 60_000 })]);
      const counts = await operators(store).countsByHandler();
      const nonZero = (c: Record<string, number | undefined> = {}) =>
        Object.fromEntries(Object.entries(c).filter(([, n]) => (n ?? 0) > 0));
      expect(Object.keys(counts).sort()).toEqual(['bulk', 'mail']);
      expect(nonZero(counts.bulk)).toEqual({ pending: 2_100 });
      expect(nonZero(counts.mail)).toEqual({ pending: 1, failed: 1 });
    }, 60_000);
  });
}
