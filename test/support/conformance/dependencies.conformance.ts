import { randomUUID } from 'node:crypto';
import {
  TaskStatus,
  UnknownTaskError,
  type ITaskStore,
  type NewTask,
  type StoreSignal,
  type TaskRecord,
} from '../../../lib/index.js';
import { DEPENDENCY_FAILED_ERROR, FlowMessages } from '../../../lib/task-queue-flows.messages.js';
import { eventually } from '../eventually.js';

/** What the dependency rules need of the conformance suite: a fresh store per test, and its task maker. */
export interface ConformanceContext {
  open(options?: { leaseTime?: number; retention?: { maxCount?: number; maxAge?: number } }): Promise<ITaskStore>;
  newTask(overrides?: Partial<NewTask>): NewTask;
}

/** The flow rules (issue 12) every store with `supportsDependencies` keeps: part of the conformance suite. */
export function describeDependencyConformance(context: ConformanceContext): void {
  const { open, newTask } = context;
  const claimAll = (store: ITaskStore, limit = 1_000) => store.claim({ workerId: 'w1', limit });
  const leaseOf = (task: TaskRecord) => ({ taskId: task.id, token: task.leaseToken! });
  const status = async (store: ITaskStore, id: string) => (await store.get(id))?.status;
  /** Claims the task (it must be due) and completes it. */
  const run = async (store: ITaskStore, id: string, result?: unknown) => {
    const claimed = (await claimAll(store)).tasks.find((t) => t.id === id);
    expect(claimed).toBeDefined();
    expect(await store.complete(leaseOf(claimed!), result)).toBe(true);
  };
  /** Runs `count` fresh tasks to their end: retention, at a small maxCount, drops the oldest finished ones. */
  const runFillers = async (store: ITaskStore, count: number) => {
    for (let i = 0; i < count; i++) {
      const filler = newTask();
      await store.add([filler]);
      await run(store, filler.id);
    }
  };
  const failFor = async (store: ITaskStore, id: string) => {
    const claimed = (await claimAll(store)).tasks.find((t) => t.id === id)!;
    expect(await store.fail(leaseOf(claimed), { name: 'Error', message: 'boom' }, null)).toBe(true);
  };

  describe('dependencies (dependsOn)', () => {
    it('keeps a task waiting, unclaimable, until its dependency succeeded, then makes it claimable in that operation', async () => {
      const store = await open();
      const a = newTask();
      const b = newTask({ dependsOn: [a.id], onDependencyFailure: 'cancel' });
      const c = newTask({ dependsOn: [b.id], onDependencyFailure: 'cancel' });
      expect(await store.add([a, b, c])).toEqual([true, true, true]);
      expect(await store.get(b.id)).toMatchObject({
        status: TaskStatus.Waiting,
        dependsOn: [a.id],
        waitingFor: [a.id],
      });
      expect(await store.counts()).toMatchObject({ waiting: 2, pending: 1 });
      await run(store, a.id, { a: 1 });
      expect(await store.get(b.id)).toMatchObject({ status: TaskStatus.Pending, waitingFor: [] });
      expect(await status(store, c.id)).toBe(TaskStatus.Waiting);
      await run(store, b.id);
      await run(store, c.id);
      expect(await store.counts()).toMatchObject({ waiting: 0, pending: 0, succeeded: 3 });
    });

    it('lists flow tasks with dependsOn, the unfinished ones among them and the policy; lists by waiting', async () => {
      const store = await open();
      const [a, b, plain] = [newTask(), newTask(), newTask({ runAt: Date.now() + 60_000 })];
      const c = newTask({ dependsOn: [a.id, b.id], onDependencyFailure: 'run' });
      const d = newTask({ dependsOn: [c.id], onDependencyFailure: 'cancel' });
      await store.add([a, b, plain, c, d]);
      await run(store, a.id);
      const listed = await store.list({ status: TaskStatus.Waiting });
      expect(listed.map((t) => t.id).sort()).toEqual([c.id, d.id].sort());
      expect(listed.find((t) => t.id === c.id)).toMatchObject({
        dependsOn: [a.id, b.id],
        waitingFor: [b.id],
        onDependencyFailure: 'run',
      });
      expect(listed.find((t) => t.id === d.id)).toMatchObject({ waitingFor: [c.id], onDependencyFailure: 'cancel' });
      const all = await store.list({});
      expect(all.find((t) => t.id === c.id)).toMatchObject({ status: TaskStatus.Waiting, waitingFor: [b.id] });
      expect(all.find((t) => t.id === plain.id)!.dependsOn).toBeUndefined();
    });

    it('makes a released dependent a task like any other: claimed by priority, retried', async () => {
      const store = await open();
      const dep = newTask();
      const low = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' });
      const high = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel', priority: 5, maxRetries: 1 });
      await store.add([dep, low, high]);
      await run(store, dep.id);
      const [first] = (await store.claim({ workerId: 'w1', limit: 1 })).tasks;
      expect(first!.id).toBe(high.id);
      expect(await store.fail(leaseOf(first!), { name: 'Error', message: 'once' }, 0)).toBe(true);
      expect(await store.get(high.id)).toMatchObject({ status: TaskStatus.Pending, attempts: 1 });
      const [again] = (await store.claim({ workerId: 'w1', limit: 1 })).tasks;
      expect(again).toMatchObject({ id: high.id, attempts: 2 });
      await store.complete(leaseOf(again!));
      await run(store, low.id);
    });

    it('fans in: the dependent waits for each of many dependencies, in any order of finishing', async () => {
      const store = await open();
      const parts = Array.from({ length: 60 }, () => newTask());
      const merge = newTask({ dependsOn: parts.map((p) => p.id), onDependencyFailure: 'cancel' });
      await store.add([...parts, merge]);
      const claimed = (await claimAll(store)).tasks;
      expect(claimed.map((t) => t.id).sort()).toEqual(parts.map((p) => p.id).sort());
      for (const task of claimed.slice(0, -1)) await store.complete(leaseOf(task), task.id);
      expect(await store.get(merge.id)).toMatchObject({ status: TaskStatus.Waiting, waitingFor: [claimed.at(-1)!.id] });
      await store.complete(leaseOf(claimed.at(-1)!));
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([merge.id]);
    });

    it('counts a dependency that already succeeded at once, and refuses an unknown one, adding nothing', async () => {
      const store = await open();
      const done = newTask();
      await store.add([done]);
      await run(store, done.id);
      const after = newTask({ dependsOn: [done.id], onDependencyFailure: 'cancel' });
      expect(await store.add([after])).toEqual([true]);
      expect(await status(store, after.id)).toBe(TaskStatus.Pending);

      const plain = newTask();
      const orphan = newTask({ dependsOn: [done.id, 'no-such-task'], onDependencyFailure: 'cancel' });
      await expect(store.add([plain, orphan])).rejects.toThrow(UnknownTaskError);
      await expect(store.add([orphan])).rejects.toThrow(FlowMessages.unknownDependency('no-such-task'));
      expect(await store.get(plain.id)).toBeUndefined();
      expect(await store.get(orphan.id)).toBeUndefined();
      // Another add of the same turn is not affected.
      const [bad, good] = await Promise.allSettled([store.add([orphan]), store.add([plain])]);
      expect(bad!.status).toBe('rejected');
      expect(good).toEqual({ status: 'fulfilled', value: [true] });
    });

    it("cancels dependents of a failed dependency transitively with 'cancel', naming it; runs them with 'run'", async () => {
      const store = await open();
      const a = newTask();
      const b = newTask({ dependsOn: [a.id], onDependencyFailure: 'cancel' });
      const c = newTask({ dependsOn: [b.id], onDependencyFailure: 'cancel' });
      const other = newTask();
      const tolerant = newTask({ dependsOn: [a.id, other.id], onDependencyFailure: 'run' });
      await store.add([a, b, c, other, tolerant]);
      const claimed = (await claimAll(store)).tasks;
      await store.fail(leaseOf(claimed.find((t) => t.id === a.id)!), { name: 'Error', message: 'boom' }, null);
      expect(await store.get(b.id)).toMatchObject({
        status: TaskStatus.Cancelled,
        lastError: { name: DEPENDENCY_FAILED_ERROR, message: FlowMessages.dependencyFailed(b.id, a.id, 'failed') },
      });
      expect(await store.get(c.id)).toMatchObject({
        status: TaskStatus.Cancelled,
        lastError: { message: FlowMessages.dependencyFailed(c.id, b.id, 'cancelled') },
      });
      expect(await status(store, tolerant.id)).toBe(TaskStatus.Waiting);
      await store.complete(leaseOf(claimed.find((t) => t.id === other.id)!));
      expect(await status(store, tolerant.id)).toBe(TaskStatus.Pending);
      expect(await store.counts()).toMatchObject({ waiting: 0, pending: 1, cancelled: 2, failed: 1, succeeded: 1 });
    });

    it('treats a cancelled dependency (pending, running or waiting) as failed, and one already failed at add', async () => {
      const store = await open();
      const pending = newTask({ runAt: Date.now() + 60_000 });
      const running = newTask();
      const [p1, r1] = [pending, running].map((dep) => newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' }));
      const w1 = newTask({ dependsOn: [p1!.id], onDependencyFailure: 'run' });
      await store.add([pending, running, p1!, r1!, w1]);
      const [claimed] = (await claimAll(store)).tasks;
      expect(claimed!.id).toBe(running.id);
      await store.cancel(pending.id);
      await store.cancel(running.id);
      expect(await status(store, p1!.id)).toBe(TaskStatus.Cancelled);
      expect(await status(store, r1!.id)).toBe(TaskStatus.Cancelled);
      // 'run': its cancelled dependency counts as finished.
      expect(await status(store, w1.id)).toBe(TaskStatus.Pending);

      const failed = newTask();
      await store.add([failed]);
      await failFor(store, failed.id);
      const late = newTask({ dependsOn: [failed.id], onDependencyFailure: 'cancel' });
      const lateRun = newTask({ dependsOn: [failed.id], onDependencyFailure: 'run' });
      await store.add([late, lateRun]);
      expect(await store.get(late.id)).toMatchObject({
        status: TaskStatus.Cancelled,
        lastError: { message: FlowMessages.dependencyFailed(late.id, failed.id, 'failed') },
      });
      expect(await status(store, lateRun.id)).toBe(TaskStatus.Pending);
    });

    it('cancels a waiting task without releasing anything else; a retry of a dependency releases nothing', async () => {
      const store = await open();
      const dep = newTask({ maxRetries: 1 });
      const waiting = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' });
      const sibling = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' });
      await store.add([dep, waiting, sibling]);
      expect(await store.cancel(waiting.id)).toMatchObject({ id: waiting.id, status: TaskStatus.Cancelled });
      expect(await status(store, dep.id)).toBe(TaskStatus.Pending);
      const [claimed] = (await claimAll(store)).tasks;
      await store.fail(leaseOf(claimed!), { name: 'Error', message: 'once' }, 0);
      expect(await status(store, sibling.id)).toBe(TaskStatus.Waiting);
      await run(store, dep.id);
      expect(await status(store, sibling.id)).toBe(TaskStatus.Pending);
      expect(await status(store, waiting.id)).toBe(TaskStatus.Cancelled);
    });

    it('makes a released dependent due at its own later runAt, and keeps its partition order', async () => {
      const store = await open();
      const dep = newTask();
      const later = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel', runAt: Date.now() + 60_000 });
      const holder = newTask({ partitionKey: 'p' });
      const inPartition = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel', partitionKey: 'p' });
      await store.add([dep, later, holder, inPartition]);
      const first = (await claimAll(store)).tasks;
      expect(first.map((t) => t.id).sort()).toEqual([dep.id, holder.id].sort());
      await store.complete(leaseOf(first.find((t) => t.id === dep.id)!));
      const batch = await claimAll(store);
      expect(batch.tasks).toEqual([]);
      expect(batch.nextDueInMs).toBeGreaterThan(50_000);
      await store.complete(leaseOf(first.find((t) => t.id === holder.id)!));
      expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([inPartition.id]);
    });

    it('keeps a finished dependency from retention while a task depends on it', async () => {
      const store = await open({ retention: { maxCount: 1 } });
      const dep = newTask();
      const dependent = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' });
      const waiter = newTask({ dependsOn: [dependent.id], onDependencyFailure: 'cancel' });
      await store.add([dep, dependent, waiter]);
      await run(store, dep.id, 'kept');
      const [running] = (await claimAll(store)).tasks;
      expect(running!.id).toBe(dependent.id);
      await runFillers(store, 3);
      await store.counts();
      expect(await store.get(dep.id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'kept' });
      await store.cancel(waiter.id);
      await store.complete(leaseOf(running!));
      await runFillers(store, 2);
      await eventually(
        async () => (await store.counts(), store.get(dep.id)),
        (t) => t === undefined,
      );
    });

    it('keeps a finished task replaced under its id while unfinished tasks depend on that id', async () => {
      const store = await open({ retention: { maxCount: 1 } });
      const finishFillers = async () => {
        await runFillers(store, 3);
        await store.counts();
      };
      const dep = newTask();
      await store.add([dep]);
      await run(store, dep.id, 'first');
      const blocker = newTask({ runAt: Date.now() + 60_000 });
      const early = newTask({ dependsOn: [dep.id, blocker.id], onDependencyFailure: 'cancel' });
      await store.add([blocker, early]);
      // The same id scheduled again once the first finished: a new task, which another one depends on too.
      expect(await store.add([{ ...dep, createdAt: Date.now() }])).toEqual([true]);
      const late = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' });
      await store.add([late]);
      await run(store, dep.id, 'second');
      const [running] = (await claimAll(store)).tasks;
      expect(running!.id).toBe(late.id);
      await finishFillers();
      expect(await store.get(dep.id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'second' });
      // The new one's dependent finishes; `early`, waiting, still depends on the id (its ctx.dependencies reads it).
      expect(await store.complete(leaseOf(running!))).toBe(true);
      await finishFillers();
      expect(await store.get(dep.id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'second' });
      await store.cancel(early.id);
      await finishFillers();
      await eventually(
        async () => (await store.counts(), store.get(dep.id)),
        (t) => t === undefined,
      );
    });

    it('retries a finished flow task (operators) without releasing a dependency that others still need', async () => {
      const store = await open({ retention: { maxCount: 1 } });
      const [dep, blocker] = [newTask(), newTask({ runAt: Date.now() + 60_000 })];
      const first = newTask({ dependsOn: [dep.id], onDependencyFailure: 'cancel' });
      const other = newTask({ dependsOn: [dep.id, blocker.id], onDependencyFailure: 'cancel' });
      await store.add([dep, blocker, first, other]);
      await run(store, dep.id, 'kept');
      await failFor(store, first.id);
      expect(await store.retry!(first.id)).toBe(true);
      expect(await store.get(first.id)).toMatchObject({ status: TaskStatus.Pending });
      expect(await store.counts()).toMatchObject({ waiting: 1, pending: 2, running: 0, failed: 0 });
      await run(store, first.id);
      await runFillers(store, 3);
      await store.counts();
      // `other` waits, and still depends on it.
      expect(await store.get(dep.id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'kept' });
      expect(await store.counts()).toMatchObject({ waiting: 1, running: 0 });
    });

    it('watch() returns the task and signals its finish; getMany() reads tasks in order', async () => {
      const store = await open();
      const signals: StoreSignal[] = [];
      const unsubscribe = store.subscribe((signal) => signals.push(signal));
      const task = newTask();
      const unwatched = newTask();
      await store.add([task, unwatched]);
      expect(await store.watch!(task.id)).toMatchObject({ id: task.id, status: TaskStatus.Pending });
      expect(await store.watch!('no-such-task')).toBeUndefined();
      const claimed = (await claimAll(store)).tasks;
      for (const one of claimed) await store.complete(leaseOf(one));
      await eventually(
        async () => signals,
        (s) => s.some((x) => x.type === 'finished' && x.taskId === task.id),
      );
      expect(signals.some((x) => x.type === 'finished' && x.taskId === unwatched.id)).toBe(false);
      const many = await store.getMany!([unwatched.id, 'no-such-task', task.id]);
      expect(many.map((t) => t?.id)).toEqual([unwatched.id, undefined, task.id]);
      unsubscribe();
    });

    it('keeps the progress of a current lease, refusing a stale one', async () => {
      const store = await open();
      const task = newTask({ id: randomUUID() });
      await store.add([task]);
      const [claimed] = (await claimAll(store)).tasks;
      expect(await store.setProgress!(leaseOf(claimed!), 40)).toBe(true);
      expect(await store.setProgress!(leaseOf(claimed!), { step: 'x'.repeat(300) })).toBe(true);
      expect((await store.get(task.id))!.progress).toEqual({ step: 'x'.repeat(300) });
      expect(await store.setProgress!({ taskId: task.id, token: 'stale' }, 99)).toBe(false);
      await store.complete(leaseOf(claimed!));
      expect(await store.setProgress!(leaseOf(claimed!), 100)).toBe(false);
      expect(await store.get(task.id)).toMatchObject({
        status: TaskStatus.Succeeded,
        progress: { step: 'x'.repeat(300) },
      });
    });

    it('refuses the progress of an attempt whose lease another claim took over, keeping the new one', async () => {
      const store = await open({ leaseTime: 300 });
      const task = newTask();
      await store.add([task]);
      const [first] = (await claimAll(store)).tasks;
      expect(await store.setProgress!(leaseOf(first!), 10)).toBe(true);
      const [taken] = await eventually(
        async () => (await store.claim({ workerId: 'w2', limit: 10 })).tasks,
        (t) => t.length > 0,
        10_000,
      );
      expect(taken!.leaseToken).not.toBe(first!.leaseToken);
      expect(await store.setProgress!(leaseOf(first!), 90)).toBe(false);
      expect(await store.setProgress!(leaseOf(taken!), 50)).toBe(true);
      expect((await store.get(task.id))!.progress).toBe(50);
    });
  });
}
