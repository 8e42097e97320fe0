import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskQueue, TaskStatus, type ITaskStore, type TaskInfo } from '../../lib/index.js';
import { builtLibrary } from './built-library.js';
import { eventually } from './eventually.js';
import { createStore, describeIfUp, type BaseStoreOptions, type StoreTarget } from './store-target.js';
import { WorkerProcess } from './worker-process.js';

const APP = resolve(import.meta.dirname, 'fixtures/recurring-worker-app.mjs');
const SECOND = 1_000;

/**
 * Recurring tasks across processes, once for every durable store: worker apps that declare a schedule with
 * @Recurring() (fixtures/recurring-worker-app.mjs) and a producer-only queue in this process, on one namespace.
 * Occurrences are counted by id (`key@time`) from what the workers say and what the store holds.
 */
export async function describeRecurringMultiProcess<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(`${target.Store.name}: recurring tasks across processes`, () => scenarios(target));
}

/** The ids of `count` occurrences of `key`, `every` ms apart from `from`. */
const ids = (key: string, from: number, count: number, every = SECOND) =>
  Array.from({ length: count }, (_, i) => `${key}@${new Date(from + i * every).toISOString()}`);
/** A whole second at least `ms` from now: every process declares the same startAt. */
const secondIn = (ms: number) => Math.ceil((Date.now() + ms) / SECOND) * SECOND;
const timeOf = (taskId: string) => Date.parse(taskId.slice(taskId.indexOf('@') + 1));

function scenarios<S extends ITaskStore, O extends BaseStoreOptions>(target: StoreTarget<S, O>): void {
  let namespace: string;
  let producer: TaskQueue;
  let workers: WorkerProcess[] = [];
  const start = async (recurring: object[], leaseTime = 30_000) => {
    const library = builtLibrary(target.id);
    const worker = await WorkerProcess.start({
      app: APP,
      lib: library.module('index.js'),
      store: {
        module: library.module(target.module),
        exportName: target.Store.name,
        options: { ...target.options(namespace), leaseTime },
      },
      concurrency: 10,
      recurring,
    });
    workers.push(worker);
    return worker;
  };
  /** The occurrences that finished, in every worker (a killed one's too). */
  const finished = (from = workers) =>
    from.flatMap((w) => w.messages.filter((m) => m.type === 'finished').map((m) => m.taskId!));
  const occurrencesOf = async (key: string): Promise<TaskInfo[]> =>
    (await producer.listTasks({ limit: 1_000 })).filter((t) => t.metadata?.recurringKey === key);
  const succeeded = (key: string, count: number, timeoutMs = 30_000) =>
    eventually(
      () => occurrencesOf(key),
      (tasks) => tasks.filter((t) => t.status === TaskStatus.Succeeded).length >= count,
      timeoutMs,
      100,
    );

  beforeAll(() => {
    builtLibrary(target.id);
  }, 60_000);

  beforeEach(async () => {
    namespace = target.uniqueNamespace('recur');
    producer = new TaskQueue({ store: createStore(target, namespace), autoStart: false, logger: false });
    producer.registerHandler('tick', { execute: () => undefined });
    await producer.init();
  });

  afterEach(async () => {
    for (const worker of workers) await worker.kill();
    workers = [];
    await producer?.close();
    await target.dispose(namespace);
  });

  /**
   * Removes the schedule once `count` occurrences succeeded, lets the last ones end, and checks what ran: each
   * occurrence finished exactly once, one second after the one before (none missing), and only its next, not yet
   * started, was cancelled by the removal. Timing is the schedule's own: the workers' start-up time does not matter.
   */
  const stopAndCheck = async (count: number): Promise<TaskInfo[]> => {
    await succeeded('beat', count, 40_000);
    expect(await producer.removeRecurring('beat')).toBe(true);
    const tasks = await eventually(
      () => occurrencesOf('beat'),
      (all) => all.every((t) => t.status === TaskStatus.Succeeded || t.status === TaskStatus.Cancelled),
      15_000,
      100,
    );
    const ran = tasks.filter((t) => t.status === TaskStatus.Succeeded).map((t) => t.id);
    expect(ran.length).toBeGreaterThanOrEqual(count);
    expect(tasks.filter((t) => t.status === TaskStatus.Cancelled).length).toBeLessThanOrEqual(1);
    expect(finished().sort()).toEqual(ran.sort());
    expect(ran).toEqual(ids('beat', timeOf(ran[0]!), ran.length));
    return tasks;
  };

  it('3 processes, every: 1000 for 10 s: each occurrence ran exactly once, none missing', async () => {
    const beat = { key: 'beat', every: SECOND };
    await Promise.all([start([beat]), start([beat]), start([beat])]);
    await stopAndCheck(10);
  }, 90_000);

  it('a process killed (-9) mid-run: its occurrence runs again elsewhere, and each still finishes exactly once', async () => {
    const beat = { key: 'beat', every: SECOND, overlap: true, args: { ms: 400 } };
    await Promise.all([start([beat], 1_000), start([beat], 1_000), start([beat], 1_000)]);
    await succeeded('beat', 2, 40_000);
    const startedNow = () => workers.find((w) => w.started().length > finished([w]).length);
    await Promise.race(workers.map((w) => w.waitFor(() => startedNow() !== undefined, 'an occurrence started')));
    const doomed = startedNow()!;
    const cut = doomed.started().at(-1)!.taskId!;
    await doomed.kill('SIGKILL');
    const tasks = await stopAndCheck(10);
    expect(tasks.find((t) => t.id === cut)).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2 });
    expect(finished([doomed])).not.toContain(cut);
  }, 90_000);

  describe('a restart of every worker after downtime', () => {
    /** Two workers run the schedule, all close, 3.5 s pass, two start again: the occurrences run before and after. */
    async function restart(misfire: 'skip' | 'once' | 'all') {
      const startAt = secondIn(4 * SECOND);
      const beat = { key: 'beat', every: SECOND, misfire, startAt: new Date(startAt) };
      const first = await Promise.all([start([beat]), start([beat])]);
      await succeeded('beat', 2);
      for (const worker of first) await worker.close();
      const before = finished(first);
      // The downtime itself: no worker runs for this long (not a wait for anything).
      await sleep(3_500);
      const restartAt = Date.now();
      const second = await Promise.all([start([beat]), start([beat])]);
      await eventually(
        async () => finished(second).filter((id) => timeOf(id) > restartAt).length,
        (n) => n >= 2,
        15_000,
        100,
      );
      const after = finished(second);
      const all = [...before, ...after];
      expect(new Set(all).size).toBe(all.length);
      return { before, after, restartAt };
    }

    it("misfire 'skip': none of the missed occurrences runs", async () => {
      const { after, restartAt } = await restart('skip');
      expect(after.filter((id) => timeOf(id) < restartAt)).toEqual([]);
    }, 60_000);

    it("misfire 'once': one runs for all the missed ones", async () => {
      const { after, restartAt } = await restart('once');
      expect(after.filter((id) => timeOf(id) < restartAt)).toHaveLength(1);
    }, 60_000);

    it("misfire 'all': each missed occurrence runs, none missing", async () => {
      const { before, after, restartAt } = await restart('all');
      const times = [...before, ...after].map(timeOf).sort((a, b) => a - b);
      expect(after.filter((id) => timeOf(id) < restartAt).length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(SECOND);
    }, 60_000);
  });

  it('a producer changes the timing of a running schedule: every worker follows the new one at once', async () => {
    // Every 5 s: once one ran, the next waits seconds ahead, pending, when the timing changes to every second.
    const beat = { key: 'beat', every: 5 * SECOND, startAt: new Date(secondIn(SECOND)) };
    await Promise.all([start([beat]), start([beat])]);
    await succeeded('beat', 1);
    // The next occurrence is added when one starts, by a store call of its own: its success may be seen first.
    const old = await eventually(
      async () => (await occurrencesOf('beat')).find((t) => t.status === TaskStatus.Pending),
      (pending) => pending !== undefined,
      10_000,
      50,
    );
    // On the half second: the old occurrence is not one of the new timing (that would add it again in its turn).
    const from = secondIn(SECOND) + SECOND / 2;
    const info = await producer.scheduleRecurring('beat', 'tick', undefined, {
      every: SECOND,
      startAt: new Date(from),
    });
    expect(info.nextRunAt).toEqual(new Date(from));
    const newTiming = (tasks: TaskInfo[]) =>
      tasks.filter((t) => t.status === TaskStatus.Succeeded && timeOf(t.id) >= from).map((t) => t.id);
    const tasks = await eventually(
      () => occurrencesOf('beat'),
      (all) => newTiming(all).length >= 3,
      30_000,
      100,
    );
    expect(newTiming(tasks).sort().slice(0, 3)).toEqual(ids('beat', from, 3));
    // The occurrence of the old timing, pending when it changed, was cancelled, not run.
    expect(tasks.find((t) => t.id === old!.id)?.status).toBe(TaskStatus.Cancelled);
    const ran = tasks.filter((t) => t.status === TaskStatus.Succeeded).map((t) => t.id);
    expect(finished().sort()).toEqual(ran.sort());
  }, 60_000);

  it('a producer-only process lists the schedules and adds one at run time, which the workers run', async () => {
    const beat = { key: 'beat', every: SECOND };
    await Promise.all([start([beat]), start([beat])]);
    expect(await producer.listRecurring()).toEqual([
      expect.objectContaining({ key: 'beat', handler: 'tick', every: SECOND, nextRunAt: expect.any(Date) }),
    ]);
    const from = secondIn(SECOND);
    await producer.scheduleRecurring(
      'report:tenant-42',
      'tick',
      { tenant: 42 },
      {
        every: SECOND,
        startAt: new Date(from),
        endAt: new Date(from + 4 * SECOND),
      },
    );
    expect((await producer.listRecurring()).map((r) => r.key)).toEqual(['beat', 'report:tenant-42']);
    const tenant = ids('report:tenant-42', from, 5);
    const tasks = await succeeded('report:tenant-42', 5);
    expect(tasks.map((t) => t.id).sort()).toEqual(tenant);
    expect(tasks.map((t) => t.args)).toEqual(tenant.map(() => ({ tenant: 42 })));
    expect(
      finished()
        .filter((id) => id.startsWith('report:'))
        .sort(),
    ).toEqual(tenant);
    expect(await producer.getRecurring('report:tenant-42')).toMatchObject({
      nextRunAt: undefined,
      lastTaskId: tenant[4],
    });
  }, 60_000);
}
