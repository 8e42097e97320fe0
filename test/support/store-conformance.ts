import { randomBytes, randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  QueueFullError,
  StoreUnavailableError,
  TaskStatus,
  type ITaskStore,
  type NewTask,
  type RetentionOptions,
  type StoreSignal,
  type TaskQueueLogger,
  type TaskRecord,
} from '../../lib/index.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { MAX_KEY_LENGTH } from '../../lib/validation/text.validator.js';
import { describeOperatorConformance } from './conformance/operators.conformance.js';
import { eventually } from './eventually.js';
import { describeRecurringConformance } from './recurring-conformance.js';
import { createStore, describeIfUp, type BaseStoreOptions, type StoreTarget } from './store-target.js';
import { describeDependencyConformance } from './conformance/dependencies.conformance.js';
import { describeDeploymentConformance } from './conformance/deployments.conformance.js';

export interface StoreUnderTest {
  store: ITaskStore;
  /** Removes what the test left (keys, schema) and closes connections. */
  dispose(): Promise<void>;
}

/** Makes a fresh, empty store for one test (durable stores: a unique prefix or schema). */
export type StoreFactory = (options: { leaseTime?: number }) => Promise<StoreUnderTest>;

/**
 * The conformance suite for a durable store, where its server is up: each test on a fresh namespace, deleted
 * after it.
 */
export async function describeConformanceOf<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(target.Store.name, () => {
    describeStoreConformance(target.Store.name, async ({ leaseTime }) => {
      const namespace = target.uniqueNamespace('conformance');
      return {
        store: createStore(target, namespace, { leaseTime } as Partial<O>),
        dispose: () => target.dispose(namespace),
      };
    });
  });
}

const RETENTION: Required<RetentionOptions> = { maxCount: 10_000, maxAge: 60 * 60 * 1000 };

export function newTask(overrides: Partial<NewTask> = {}): NewTask {
  const now = Date.now();
  return {
    id: randomUUID(),
    handler: 'test-handler',
    args: { n: 1 },
    priority: 0,
    runAt: now,
    createdAt: now,
    maxRetries: 0,
    ...overrides,
  };
}

/**
 * The store contract, once for every store: each store's spec calls this with its factory. Tests that
 * depend on lease expiry use short leases and wait with generous bounds: leases are about time.
 */
export function describeStoreConformance(storeName: string, factory: StoreFactory): void {
  describe(`${storeName} conforms to ITaskStore`, () => {
    let subject: StoreUnderTest | undefined;
    type OpenOptions = { leaseTime?: number; retention?: RetentionOptions; logger?: TaskQueueLogger };
    const open = async (options: OpenOptions = {}): Promise<ITaskStore> => {
      subject = await factory({ leaseTime: options.leaseTime });
      const logger = options.logger ?? new Logger('StoreConformance');
      await subject.store.init?.({ retention: { ...RETENTION, ...options.retention }, logger });
      return subject.store;
    };
    const claimAll = (store: ITaskStore, limit = 100) => store.claim({ workerId: 'w1', limit });

    describeRecurringConformance(() => open(), newTask);
    const leaseOf = (task: TaskRecord) => ({ taskId: task.id, token: task.leaseToken! });

    afterEach(async () => {
      await subject?.store.close?.();
      await subject?.dispose();
      subject = undefined;
    });

    // Parts of the suite kept in files of their own (test/support/conformance/).
    describeOperatorConformance({ open });

    it('keeps what was added and returns it as pending', async () => {
      const store = await open();
      const task = newTask({
        name: 'label',
        args: { email: 'a@b.c', list: [1, 'x', null], nested: { ok: true } },
        partitionKey: 'p',
        priority: 3,
        timeout: 500,
        maxRetries: 2,
        metadata: { tenant: 't1' },
      });
      expect(await store.add([task])).toEqual([true]);
      const got = await store.get(task.id);
      expect(got).toMatchObject({ ...task, status: TaskStatus.Pending, attempts: 0 });
      expect(await store.get('no-such-task')).toBeUndefined();
    });

    it('adds nothing for the id of an unfinished task, and replaces a finished one', async () => {
      const store = await open();
      const first = newTask({ args: { v: 1 } });
      await store.add([first]);
      expect(await store.add([{ ...first, args: { v: 2 } }])).toEqual([false]);
      expect((await store.get(first.id))!.args).toEqual({ v: 1 });
      const [claimed] = (await claimAll(store)).tasks;
      await store.complete(leaseOf(claimed!));
      expect(await store.add([{ ...first, args: { v: 3 } }])).toEqual([true]);
      expect(await store.get(first.id)).toMatchObject({ status: TaskStatus.Pending, attempts: 0, args: { v: 3 } });
    });

    it('adds nothing for the id of a task that is running or waiting for its retry, nor twice in one batch', async () => {
      // What makes a retried schedule() safe after a StoreUnavailableError whose add may have been applied.
      const store = await open();
      const first = newTask({ args: { v: 1 }, maxRetries: 1 });
      expect(await store.add([first, { ...first, args: { v: 2 } }])).toEqual([true, false]);
      const [running] = (await claimAll(store)).tasks;
      expect(await store.add([{ ...first, args: { v: 3 } }])).toEqual([false]);
      await store.fail(leaseOf(running!), { name: 'Error', message: 'boom' }, 60_000);
      expect(await store.add([{ ...first, args: { v: 4 } }])).toEqual([false]);
      expect(await store.get(first.id)).toMatchObject({ status: TaskStatus.Pending, attempts: 1, args: { v: 1 } });
    });

    it('keeps ids and keys of MAX_KEY_LENGTH (3-byte characters) and surrogate pairs unchanged', async () => {
      const store = await open();
      const longest = '\u20ac'.repeat(MAX_KEY_LENGTH);
      const tasks = [
        newTask({ id: longest, partitionKey: longest }),
        newTask({ id: 'pair-\ud83d\ude00', partitionKey: '\ud83d\ude00' }),
      ];
      expect(await store.add(tasks)).toEqual([true, true]);
      for (const task of tasks)
        expect(await store.get(task.id)).toMatchObject({ id: task.id, partitionKey: task.partitionKey });
      expect(await store.get('pair-\ud83d\ude01')).toBeUndefined();
    });

    it('an add the store refuses fails alone: the other adds of the same turn are added', async () => {
      const store = await open();
      // What schedule() refuses, as a store could meet it from a caller that skips the checks (a random id: no compression).
      const refusable = [
        newTask({ handler: 'nul\u0000' }),
        newTask({ id: randomBytes(3_000).toString('hex') }),
        newTask({ name: 'sur\ud800' }),
      ];
      const goods = [newTask(), newTask(), newTask()];
      const adds = [
        store.add([goods[0]!]),
        ...refusable.map((task) => store.add([task])),
        store.add([goods[1]!, goods[2]!]),
      ];
      const settled = await Promise.allSettled(adds);
      expect(settled[0]).toEqual({ status: 'fulfilled', value: [true] });
      expect(settled.at(-1)).toEqual({ status: 'fulfilled', value: [true, true] });
      for (const task of goods) expect(await store.get(task.id)).toMatchObject({ status: TaskStatus.Pending });
      for (const outcome of settled.slice(1, -1)) {
        if (outcome.status === 'rejected') expect(outcome.reason).not.toBeInstanceOf(StoreUnavailableError);
      }
    });

    it('claims due tasks only, up to the limit, leasing each', async () => {
      const store = await open();
      const due = [newTask(), newTask(), newTask()];
      const later = newTask({ runAt: Date.now() + 60_000 });
      await store.add([...due, later]);
      const batch = await store.claim({ workerId: 'w1', limit: 2 });
      expect(batch.tasks).toHaveLength(2);
      for (const task of batch.tasks) {
        expect(task).toMatchObject({ status: TaskStatus.Running, attempts: 1 });
        expect(typeof task.leaseToken).toBe('string');
        expect(task.startedAt).toBeGreaterThan(0);
      }
      const rest = await claimAll(store);
      expect(rest.tasks.map((t) => t.id)).toEqual([due[2]!.id]);
      expect(rest.nextDueInMs).toBeGreaterThan(50_000);
      expect(rest.nextDueInMs).toBeLessThanOrEqual(60_000);
    });

    it('claims a delayed task once it is due', async () => {
      const store = await open();
      // Far enough ahead that the add and the first claim land before it, even on a loaded machine.
      const task = newTask({ runAt: Date.now() + 1_000 });
      await store.add([task]);
      expect((await claimAll(store)).tasks).toHaveLength(0);
      const claimed = await eventually(
        async () => (await claimAll(store)).tasks,
        (tasks) => tasks.length === 1,
      );
      expect(claimed[0]!.id).toBe(task.id);
      expect(Date.now()).toBeGreaterThanOrEqual(task.runAt);
    });

    it('claims by priority, then runAt, then insertion order', async () => {
      const store = await open();
      const now = Date.now();
      const low = newTask({ priority: 0, runAt: now - 30 });
      const highLater = newTask({ priority: 5, runAt: now - 10 });
      const highEarlier = newTask({ priority: 5, runAt: now - 20 });
      const lowSecond = newTask({ priority: 0, runAt: now - 30 });
      await store.add([low, highLater, highEarlier, lowSecond]);
      const order = [];
      for (let i = 0; i < 4; i++) order.push((await store.claim({ workerId: 'w1', limit: 1 })).tasks[0]!.id);
      expect(order).toEqual([highEarlier.id, highLater.id, low.id, lowSecond.id]);
    });

    it('never hands one task to two concurrent claims', async () => {
      const store = await open();
      const tasks = Array.from({ length: 200 }, () => newTask());
      await store.add(tasks);
      const batches = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.claim({ workerId: `w${i}`, limit: 30 })),
      );
      const ids = batches.flatMap((b) => b.tasks.map((t) => t.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(200);
    });

    it('completes a task with its result, once', async () => {
      const store = await open();
      await store.add([newTask()]);
      const [task] = (await claimAll(store)).tasks;
      expect(await store.complete(leaseOf(task!), { sent: true })).toBe(true);
      expect(await store.get(task!.id)).toMatchObject({
        status: TaskStatus.Succeeded,
        result: { sent: true },
        attempts: 1,
      });
      expect((await store.get(task!.id))!.finishedAt).toBeGreaterThan(0);
      expect(await store.complete(leaseOf(task!))).toBe(false);
    });

    it('reports no next due time when nothing is delayed', async () => {
      const store = await open();
      expect((await claimAll(store)).nextDueInMs).toBeUndefined();
      await store.add([newTask()]);
      const batch = await claimAll(store);
      expect(batch.tasks).toHaveLength(1);
      expect(batch.nextDueInMs).toBeUndefined();
      expect((await claimAll(store)).nextDueInMs).toBeUndefined();
    });

    describe('reports the store cannot keep as they are', () => {
      const spyLogger = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() });
      const claimNew = async (store: ITaskStore, count: number, overrides: Partial<NewTask> = {}) => {
        const tasks = Array.from({ length: count }, () => newTask(overrides));
        await store.add(tasks);
        const claimed = (await claimAll(store)).tasks;
        return tasks.map((task) => leaseOf(claimed.find((c) => c.id === task.id)!));
      };

      it('completes a task whose result cannot become JSON, dropping the result with a warning naming the task', async () => {
        const logger = spyLogger();
        const store = await open({ logger });
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        const results = [10n, cyclic];
        const leases = await claimNew(store, results.length);
        expect(await Promise.all(leases.map((lease, i) => store.complete(lease, results[i])))).toEqual([true, true]);
        for (const [i, lease] of leases.entries()) {
          const record = (await store.get(lease.taskId))!;
          expect(record.status).toBe(TaskStatus.Succeeded);
          if (store.serialization === 'json') {
            expect(record.result).toBeUndefined();
            expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`Task ${lease.taskId}:`));
          } else expect(record.result).toBe(results[i]);
        }
      });

      it('records results and errors with U+0000 or lone surrogates, never failing the other reports', async () => {
        const logger = spyLogger();
        const store = await open({ logger });
        const json = store.serialization === 'json';
        const [nul, lone, kept, failed, neighbour] = await claimNew(store, 5, { maxRetries: 1 });
        const error = { name: 'Error\u0000', message: 'bad \u0000 and \udc00', stack: 'Error: bad \ud800\n at x' };
        const reports = await Promise.all([
          store.complete(nul!, { text: 'a\u0000b' }),
          store.complete(lone!, ['x\ud800']),
          store.complete(kept!, { text: 'pair \ud83d\ude00, a backslash-u: \\u0000' }),
          store.fail(failed!, error, null),
          store.complete(neighbour!, { ok: true }),
        ]);
        expect(reports).toEqual([true, true, true, true, true]);
        expect((await store.get(neighbour!.taskId))!.result).toEqual({ ok: true });
        expect((await store.get(kept!.taskId))!.result).toEqual({ text: 'pair \ud83d\ude00, a backslash-u: \\u0000' });
        for (const [lease, result] of [
          [nul!, { text: 'a\u0000b' }],
          [lone!, ['x\ud800']],
        ] as const) {
          expect(await store.get(lease.taskId)).toMatchObject({ status: TaskStatus.Succeeded });
          expect((await store.get(lease.taskId))!.result).toEqual(json ? undefined : result);
          if (json) expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`Task ${lease.taskId}:`));
        }
        const stored = json
          ? { name: 'Error\ufffd', message: 'bad \ufffd and \ufffd', stack: 'Error: bad \ufffd\n at x' }
          : error;
        expect(await store.get(failed!.taskId)).toMatchObject({ status: TaskStatus.Failed, lastError: stored });
      });

      it('keeps a retry however far away it is due, never failing the other reports', async () => {
        const store = await open();
        const [far, neighbour] = await claimNew(store, 2, { maxRetries: 1 });
        const reports = [
          store.fail(far!, { name: 'Error', message: 'x' }, Number.MAX_VALUE),
          store.complete(neighbour!, 1),
        ];
        expect(await Promise.all(reports)).toEqual([true, true]);
        expect(await store.get(far!.taskId)).toMatchObject({ status: TaskStatus.Pending, attempts: 1 });
        expect((await store.get(far!.taskId))!.runAt).toBeGreaterThan(Date.now() + 365 * 24 * 3600_000);
        expect(await store.get(neighbour!.taskId)).toMatchObject({ status: TaskStatus.Succeeded, result: 1 });
      });
    });

    it('reschedules a failed attempt, then fails it for good', async () => {
      const store = await open();
      await store.add([newTask({ maxRetries: 1 })]);
      const [first] = (await claimAll(store)).tasks;
      const before = Date.now();
      expect(
        await store.fail(leaseOf(first!), { name: 'Error', message: 'boom', stack: 'Error: boom\n at x' }, 60_000),
      ).toBe(true);
      const waiting = (await store.get(first!.id))!;
      expect(waiting).toMatchObject({
        status: TaskStatus.Pending,
        attempts: 1,
        lastError: { name: 'Error', message: 'boom', stack: 'Error: boom\n at x' },
      });
      expect(waiting.runAt).toBeGreaterThanOrEqual(before + 60_000 - 1_000);
      expect((await claimAll(store)).tasks).toHaveLength(0);

      await store.add([newTask({ id: 'retry-now', maxRetries: 1 })]);
      const [again] = (await claimAll(store)).tasks;
      await store.fail(leaseOf(again!), { name: 'Error', message: 'once' }, 0);
      const [second] = (await claimAll(store)).tasks;
      expect(second).toMatchObject({ id: 'retry-now', attempts: 2 });
      expect(await store.fail(leaseOf(second!), { name: 'Error', message: 'twice' }, null)).toBe(true);
      expect(await store.get('retry-now')).toMatchObject({
        status: TaskStatus.Failed,
        attempts: 2,
        lastError: { message: 'twice' },
      });
    });

    it('refuses reports and renewals from a stale lease', async () => {
      const store = await open();
      await store.add([newTask()]);
      const [task] = (await claimAll(store)).tasks;
      const stale = { taskId: task!.id, token: `${task!.leaseToken}-stale` };
      expect(await store.complete(stale)).toBe(false);
      expect(await store.fail(stale, { name: 'Error', message: 'x' }, null)).toBe(false);
      expect(await store.renew([stale, leaseOf(task!)])).toEqual([task!.id]);
      expect((await store.get(task!.id))!.status).toBe(TaskStatus.Running);
    });

    describe('partitions', () => {
      it('runs one task of a partition at a time, others in parallel', async () => {
        const store = await open();
        const a1 = newTask({ partitionKey: 'a' });
        const a2 = newTask({ partitionKey: 'a' });
        const b1 = newTask({ partitionKey: 'b' });
        const free = newTask();
        await store.add([a1, a2, b1, free]);
        const first = await claimAll(store);
        expect(first.tasks.map((t) => t.id).sort()).toEqual([a1.id, b1.id, free.id].sort());
        expect((await claimAll(store)).tasks).toHaveLength(0);
        await store.complete(leaseOf(first.tasks.find((t) => t.id === a1.id)!));
        expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([a2.id]);
      });

      it('orders a partition by runAt, then scheduling order', async () => {
        const store = await open();
        const now = Date.now();
        const later = newTask({ partitionKey: 'p', runAt: now - 10 });
        const earlier = newTask({ partitionKey: 'p', runAt: now - 20 });
        const sameAsEarlier = newTask({ partitionKey: 'p', runAt: now - 20 });
        await store.add([later]);
        await store.add([earlier]);
        await store.add([sameAsEarlier]);
        const order = [];
        for (let i = 0; i < 3; i++) {
          const [task] = (await claimAll(store)).tasks;
          order.push(task!.id);
          await store.complete(leaseOf(task!));
        }
        expect(order).toEqual([earlier.id, sameAsEarlier.id, later.id]);
      });

      it('keeps the partition for a task waiting for its retry', async () => {
        const store = await open();
        const first = newTask({ partitionKey: 'p', maxRetries: 2 });
        const second = newTask({ partitionKey: 'p' });
        await store.add([first, second]);
        const [claimed] = (await claimAll(store)).tasks;
        await store.fail(leaseOf(claimed!), { name: 'Error', message: 'x' }, 60_000);
        expect((await claimAll(store)).tasks).toHaveLength(0);
      });

      it('runs a due retry before the tasks behind it', async () => {
        const store = await open();
        const head = newTask({ partitionKey: 'q', maxRetries: 2 });
        await store.add([head, newTask({ partitionKey: 'q' })]);
        const [running] = (await claimAll(store)).tasks;
        await store.fail(leaseOf(running!), { name: 'Error', message: 'x' }, 0);
        expect((await claimAll(store)).tasks.map((t) => [t.id, t.attempts])).toEqual([[head.id, 2]]);
      });

      it('lets the next task go when the head is cancelled', async () => {
        const store = await open();
        const head = newTask({ partitionKey: 'p', runAt: Date.now() + 60_000 });
        const next = newTask({ partitionKey: 'p', runAt: Date.now() + 60_000 + 1 });
        const due = newTask({ partitionKey: 'r' });
        await store.add([head, next, due]);
        await store.cancel(head.id);
        await store.cancel(due.id);
        expect((await claimAll(store)).nextDueInMs).toBeGreaterThan(59_000);
        expect((await store.get(next.id))!.status).toBe(TaskStatus.Pending);
        const afterDue = newTask({ partitionKey: 'r' });
        await store.add([afterDue]);
        expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([afterDue.id]);
      });
    });

    describe('cancel', () => {
      it('cancels a pending task so it is never claimed', async () => {
        const store = await open();
        const task = newTask();
        await store.add([task]);
        expect(await store.cancel(task.id)).toMatchObject({ id: task.id, status: TaskStatus.Cancelled });
        expect((await claimAll(store)).tasks).toHaveLength(0);
        expect(await store.cancel(task.id)).toBeUndefined();
        expect(await store.cancel('unknown')).toBeUndefined();
      });

      it('cancels a running task: signals workers, refuses its result, frees its partition when it reports', async () => {
        const store = await open();
        const signals: StoreSignal[] = [];
        const unsubscribe = store.subscribe((signal) => signals.push(signal));
        const running = newTask({ partitionKey: 'p' });
        const next = newTask({ partitionKey: 'p' });
        await store.add([running, next]);
        const [claimed] = (await claimAll(store)).tasks;
        expect(await store.cancel(running.id)).toMatchObject({ status: TaskStatus.Cancelled });
        await eventually(
          async () => signals,
          (s) => s.some((x) => x.type === 'cancel' && x.taskId === running.id),
        );
        expect((await claimAll(store)).tasks).toHaveLength(0);
        expect(await store.complete(leaseOf(claimed!))).toBe(false);
        expect((await store.get(running.id))!.status).toBe(TaskStatus.Cancelled);
        expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([next.id]);
        unsubscribe();
      });
    });

    describe('leases', () => {
      it('lets another worker take over a task whose lease expired, fencing the first', async () => {
        const store = await open({ leaseTime: 300 });
        const task = newTask({ partitionKey: 'p' });
        const behind = newTask({ partitionKey: 'p' });
        await store.add([task, behind]);
        const [first] = (await store.claim({ workerId: 'dead', limit: 10 })).tasks;
        const taken = await eventually(
          async () => (await store.claim({ workerId: 'w2', limit: 10 })).tasks,
          (t) => t.length > 0,
          10_000,
        );
        expect(taken.map((t) => [t.id, t.attempts])).toEqual([[task.id, 2]]);
        expect(taken[0]!.leaseToken).not.toBe(first!.leaseToken);
        expect(await store.complete(leaseOf(first!))).toBe(false);
        expect(await store.complete(leaseOf(taken[0]!))).toBe(true);
        expect((await claimAll(store)).tasks.map((t) => t.id)).toEqual([behind.id]);
      });

      it('logs a lost lease once: at renewal, not again when the aborted attempt reports', async () => {
        const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
        const store = await open({ leaseTime: 300, logger });
        const task = newTask();
        await store.add([task]);
        const [first] = (await store.claim({ workerId: 'stalled', limit: 10 })).tasks;
        await eventually(
          async () => (await store.claim({ workerId: 'w2', limit: 10 })).tasks,
          (t) => t.length > 0,
          10_000,
        );
        expect(await store.renew([leaseOf(first!)])).toEqual([task.id]);
        expect(await store.fail(leaseOf(first!), { name: 'TaskAbortedError', message: 'lost' }, null)).toBe(false);
        const warned = logger.warn.mock.calls.filter(([message]) => message === Messages.leaseLost(task.id));
        expect(warned).toHaveLength(1);
      });

      it('keeps a renewed lease', async () => {
        const store = await open({ leaseTime: 300 });
        await store.add([newTask()]);
        const [task] = (await claimAll(store)).tasks;
        const until = Date.now() + 900;
        while (Date.now() < until) {
          expect(await store.renew([leaseOf(task!)])).toEqual([]);
          expect((await store.claim({ workerId: 'w2', limit: 10 })).tasks).toHaveLength(0);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await store.complete(leaseOf(task!))).toBe(true);
      });
    });

    it('counts tasks by status', async () => {
      const store = await open();
      await store.add([newTask(), newTask(), newTask(), newTask({ runAt: Date.now() + 60_000 })]);
      const [a, b] = (await store.claim({ workerId: 'w1', limit: 2 })).tasks;
      await store.complete(leaseOf(a!));
      await store.fail(leaseOf(b!), { name: 'Error', message: 'x' }, null);
      const pending = await store.list({ status: TaskStatus.Pending });
      await store.cancel(pending[0]!.id);
      expect(await store.counts()).toEqual({
        waiting: 0,
        pending: 1,
        running: 0,
        succeeded: 1,
        failed: 1,
        cancelled: 1,
      });
    });

    it('lists newest first, by status and handler, with limit and offset', async () => {
      const store = await open();
      const now = Date.now();
      const tasks = [0, 1, 2, 3].map((i) => newTask({ createdAt: now + i, handler: i % 2 ? 'odd' : 'even' }));
      for (const task of tasks) await store.add([task]);
      expect((await store.list()).map((t) => t.id)).toEqual([...tasks].reverse().map((t) => t.id));
      expect((await store.list({ handler: 'odd' })).map((t) => t.id)).toEqual([tasks[3]!.id, tasks[1]!.id]);
      expect((await store.list({ limit: 2, offset: 1 })).map((t) => t.id)).toEqual([tasks[2]!.id, tasks[1]!.id]);
      expect(await store.list({ status: [TaskStatus.Running, TaskStatus.Failed] })).toEqual([]);
    });

    it('rejects a batch that would exceed maxPending, adding nothing', async () => {
      const store = await open();
      await store.add([newTask(), newTask()], { maxPending: 3 });
      await expect(store.add([newTask(), newTask()], { maxPending: 3 })).rejects.toThrow(QueueFullError);
      expect((await store.counts()).pending).toBe(2);
    });

    it('signals wake when a due task is added', async () => {
      const store = await open();
      const signals: StoreSignal[] = [];
      const unsubscribe = store.subscribe((signal) => signals.push(signal));
      await store.add([newTask()]);
      await eventually(
        async () => signals,
        (s) => s.some((x) => x.type === 'wake'),
      );
      unsubscribe();
    });

    it('keeps at most retention.maxCount finished tasks, dropping the oldest', async () => {
      const store = await open({ retention: { maxCount: 2 } });
      const tasks = [newTask(), newTask(), newTask()];
      for (const task of tasks) {
        await store.add([task]);
        const [claimed] = (await claimAll(store)).tasks;
        await store.complete(leaseOf(claimed!));
      }
      await eventually(
        async () => store.get(tasks[0]!.id),
        (t) => t === undefined,
      );
      expect((await store.get(tasks[2]!.id))!.status).toBe(TaskStatus.Succeeded);
    });

    it('replaces a task cancelled while running only once its worker reported', async () => {
      const store = await open();
      const task = newTask();
      await store.add([task]);
      const [claimed] = (await claimAll(store)).tasks;
      await store.cancel(task.id);
      expect(await store.add([task])).toEqual([false]);
      expect(await store.complete(leaseOf(claimed!))).toBe(false);
      expect(await store.add([task])).toEqual([true]);
      expect((await store.get(task.id))?.status).toBe(TaskStatus.Pending);
    });

    it('drops finished tasks in finish order, also when they finish together', async () => {
      // Reports sent in one tick go to the store as one batch (one script, one statement): a shared finish
      // time. They finish in reverse insertion and id order, so a tie broken by either drops the newest.
      const store = await open({ retention: { maxCount: 3 } });
      const base = randomUUID();
      const tasks = [0, 1, 2, 3, 4, 5].map((i) => newTask({ id: `${base}-${i}` }));
      await store.add(tasks);
      const claimed = new Map((await claimAll(store)).tasks.map((t) => [t.id, t]));
      const finishOrder = [...tasks].reverse().map((t) => claimed.get(t.id)!);
      const reports = await Promise.all(finishOrder.map((t) => store.complete(leaseOf(t))));
      expect(reports).toEqual(finishOrder.map(() => true));
      const oldest = finishOrder.slice(0, 3).map((t) => t.id);
      const newest = finishOrder.slice(3).map((t) => t.id);
      const dropped = () => Promise.all(oldest.map((id) => store.get(id)));
      await eventually(dropped, (got) => got.every((t) => t === undefined));
      for (const id of newest) expect((await store.get(id))?.status).toBe(TaskStatus.Succeeded);
    });

    it('counts toward retention.maxCount only the finished tasks it keeps (not one since replaced)', async () => {
      const store = await open({ retention: { maxCount: 3 } });
      const finish = async (task: NewTask) => {
        await store.add([task]);
        const [claimed] = (await claimAll(store)).tasks;
        expect(await store.complete(leaseOf(claimed!))).toBe(true);
      };
      const [x, y, a, b, c] = [newTask(), newTask(), newTask(), newTask(), newTask()];
      for (const task of [x, y, a]) await finish(task);
      expect(await store.add([{ ...a, runAt: Date.now() + 60_000 }])).toEqual([true]);
      // Finished now: x, y, b (a waits to run again); c makes four, so only x goes.
      for (const task of [b, c]) await finish(task);
      await eventually(
        async () => store.get(x.id),
        (t) => t === undefined,
      );
      for (const task of [y, b, c]) expect((await store.get(task.id))?.status).toBe(TaskStatus.Succeeded);
      expect((await store.get(a.id))?.status).toBe(TaskStatus.Pending);
    });

    // Flows (issue 12): test/support/conformance/dependencies.conformance.ts
    describeDependencyConformance({ open: (options) => open(options), newTask });

    // Deployments (issue 10): test/support/conformance/deployments.conformance.ts
    describeDeploymentConformance({ open: (options) => open(options), newTask });
  });
}
