import { TaskStatus, type ITaskStore, type StoreSignal } from '../../lib/index.js';
import { newTask } from './store-conformance.js';
import { nextSignal } from './store-spec-harness.js';

/**
 * The signals that go between two stores on one namespace (two processes), once for every durable store: the
 * wake of an add and the cancel of a running task. `open` opens a store on the test's namespace.
 */
export function describeSignalsBetweenStores(open: () => Promise<ITaskStore>): void {
  it('wakes the workers of another store when a task is added, now or earlier than known', async () => {
    const producer = await open();
    const worker = await open();
    const now = nextSignal(worker, (s) => s.type === 'wake' && s.inMs === undefined);
    await producer.add([newTask()]);
    await now;
    const later = nextSignal(worker, (s) => s.type === 'wake' && s.inMs !== undefined);
    await producer.add([newTask({ runAt: Date.now() + 60_000 })]);
    expect(await later).toMatchObject({ type: 'wake', inMs: expect.any(Number) });
    expect(((await later) as { inMs: number }).inMs).toBeGreaterThan(55_000);
  });

  it('delivers a cancel to the store whose worker runs the task, once to each store', async () => {
    const canceller = await open();
    const runner = await open();
    const runnerSignals: StoreSignal[] = [];
    const cancellerSignals: StoreSignal[] = [];
    runner.subscribe((s) => runnerSignals.push(s));
    canceller.subscribe((s) => cancellerSignals.push(s));
    const task = newTask();
    await canceller.add([task]);
    const [running] = (await runner.claim({ workerId: 'runner', limit: 1 })).tasks;
    const received = nextSignal(runner, (s) => s.type === 'cancel');
    expect(await canceller.cancel(task.id)).toMatchObject({ status: TaskStatus.Cancelled });
    expect(await received).toEqual({ type: 'cancel', taskId: task.id });
    expect(await runner.complete({ taskId: task.id, token: running!.leaseToken! })).toBe(false);
    expect(runnerSignals.filter((s) => s.type === 'cancel')).toHaveLength(1);
    expect(cancellerSignals.filter((s) => s.type === 'cancel')).toHaveLength(1);
  });
}
