import { hostname } from 'node:os';
import { TaskQueue, TaskStatus, type ITaskStore, type ScheduleItem } from '../../lib/index.js';
import { builtLibrary } from './built-library.js';
import { eventually } from './eventually.js';
import { createStore, describeIfUp, type BaseStoreOptions, type StoreTarget } from './store-target.js';
import { TcpProxy } from './tcp-proxy.js';
import { WorkerProcess, type WorkerMessage } from './worker-process.js';
import { flowScenarios } from './multi-process-flows.js';

/**
 * The multi-process scenarios, once for every durable store: worker apps in child processes (each a Nest app
 * on the target's store, fixtures/worker-app.mjs) and a producer in this process, all on one namespace. Waits
 * are on the workers' messages and the store's state, never on fixed sleeps. Skipped where the server is down;
 * `more` adds the store's own tests to the describe.
 */
export async function describeMultiProcess<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
  more: () => void = () => undefined,
): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(`${target.Store.name} across processes`, () => {
    scenarios(target);
    // Flows (issue 12): multi-process-flows.ts
    flowScenarios(target);
    more();
  });
}

export interface StartOptions {
  concurrency?: number;
  leaseTime?: number;
  closeOnceStarted?: boolean;
  /** The worker reaches the server through this proxy. */
  proxy?: TcpProxy;
}

/** The store's options with the server's address (the target's url, wherever the options name it) the proxy's. */
function throughProxy<O extends object>(options: O, url: string, proxy: TcpProxy): O {
  const { host, hostname } = new URL(url);
  const proxied = url.replace(host, `${hostname}:${proxy.port}`);
  return JSON.parse(JSON.stringify(options).replaceAll(url, proxied)) as O;
}

/** What a scenario uses: worker processes on a fresh namespace, and a producer-only queue in this process. */
export interface Processes {
  readonly producer: TaskQueue;
  readonly namespace: string;
  start(options?: StartOptions): Promise<WorkerProcess>;
  job(args: Record<string, unknown>, options?: ScheduleItem['options']): ScheduleItem;
}

/** Sets up (before each test) and tears down (after it) the processes of a scenario on the target's store. */
export function useProcesses<S extends ITaskStore, O extends BaseStoreOptions>(target: StoreTarget<S, O>): Processes {
  let namespace: string;
  let producer: TaskQueue;
  let workers: WorkerProcess[] = [];
  const start = async (options: StartOptions = {}) => {
    const library = builtLibrary(target.id);
    const base = { ...target.options(namespace), leaseTime: options.leaseTime ?? 30_000 };
    const storeOptions = options.proxy ? throughProxy(base, target.url, options.proxy) : base;
    const worker = await WorkerProcess.start({
      lib: library.module('index.js'),
      store: { module: library.module(target.module), exportName: target.Store.name, options: storeOptions },
      recorder: { module: target.recorder.module, options: { url: target.url, namespace } },
      concurrency: options.concurrency ?? 10,
      closeOnceStarted: options.closeOnceStarted,
    });
    workers.push(worker);
    return worker;
  };
  const job = (args: Record<string, unknown>, options: ScheduleItem['options'] = {}): ScheduleItem => ({
    handler: 'job',
    args,
    options,
  });

  beforeAll(() => {
    builtLibrary(target.id);
  }, 60_000);

  beforeEach(async () => {
    namespace = target.uniqueNamespace('procs');
    producer = new TaskQueue({ store: createStore(target, namespace), autoStart: false, logger: false });
    producer.registerHandler('job', { execute: () => undefined });
    await producer.init();
    await target.recorder.prepare(namespace);
  });

  afterEach(async () => {
    for (const worker of workers) await worker.kill();
    workers = [];
    await producer?.close();
    await target.dispose(namespace);
  });

  return {
    get producer() {
      return producer;
    },
    get namespace() {
      return namespace;
    },
    start,
    job,
  };
}

function scenarios<S extends ITaskStore, O extends BaseStoreOptions>(target: StoreTarget<S, O>): void {
  const processes = useProcesses(target);
  const { start, job } = processes;
  let producer: TaskQueue;
  beforeEach(() => {
    producer = processes.producer;
  });

  it('runs 5,000 tasks over 50 partitions on 3 processes: each once, partitions in order and never overlapping', async () => {
    const [a, b, c] = await Promise.all([start(), start(), start()]);
    const items: ScheduleItem[] = [];
    for (let seq = 0; seq < 100; seq++)
      for (let p = 0; p < 50; p++) items.push(job({ kind: 'record', partition: p, seq }, { partitionKey: `p${p}` }));
    await producer.scheduleMany(items);
    await eventually(
      () => producer.counts(),
      (counts) => counts.succeeded === 5_000,
      40_000,
      50,
    );

    const { overlaps, runs } = await target.recorder.read(processes.namespace);
    expect(overlaps).toEqual([]);
    expect(runs).toHaveLength(5_000);
    expect(new Set(runs.map((r) => `${r.partition}:${r.seq}`)).size).toBe(5_000);
    const inOrder = Array.from({ length: 100 }, (_, seq) => seq);
    for (let p = 0; p < 50; p++) expect(runs.filter((r) => r.partition === p).map((r) => r.seq)).toEqual(inOrder);
    expect([...new Set(runs.map((r) => r.pid))].sort()).toEqual([a!, b!, c!].map((w) => w.pid).sort());
    expect(await producer.counts()).toEqual({
      waiting: 0,
      pending: 0,
      running: 0,
      succeeded: 5_000,
      failed: 0,
      cancelled: 0,
    });
  }, 60_000);

  it('finishes the tasks of a worker killed mid-task once their leases expire, in partition order', async () => {
    const doomed = await start({ concurrency: 5, leaseTime: 1_000 });
    const hang = { kind: 'hang-in', pid: doomed.pid };
    const ids = await producer.scheduleMany([
      job(hang),
      job(hang),
      job(hang),
      job(hang, { partitionKey: 'p' }),
      job(hang, { partitionKey: 'p' }),
    ]);
    await doomed.waitFor(() => doomed.started().length === 4, 'four tasks started');
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();

    const survivor = await start({ concurrency: 5, leaseTime: 1_000 });
    await eventually(
      () => producer.counts(),
      (counts) => counts.succeeded === 5,
      10_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    for (const [i, id] of ids.entries()) {
      expect(await producer.getTask(id)).toMatchObject({
        status: TaskStatus.Succeeded,
        result: { pid: survivor.pid },
        attempts: i === 4 ? 1 : 2,
      });
    }
    const order = survivor.started().map((m) => m.taskId);
    expect(order.indexOf(ids[3]!)).toBeLessThan(order.indexOf(ids[4]!));
  }, 30_000);

  it('refuses the late result of a paused worker whose task was taken over', async () => {
    const paused = await start({ concurrency: 1, leaseTime: 1_000 });
    const [id] = await producer.scheduleMany([job({ kind: 'sleep', ms: 400 })]);
    await paused.waitFor(() => paused.started(id).length === 1, 'the task started');
    paused.child.kill('SIGSTOP');

    const replacement = await start({ concurrency: 1, leaseTime: 1_000 });
    await replacement.said('finished', id, 'the replacement finished the task');
    await eventually(
      () => producer.getTask(id!),
      (task) => task?.status === TaskStatus.Succeeded,
    );

    paused.child.kill('SIGCONT');
    await paused.said('finished', id, 'the paused worker finished late');
    await paused.waitFor(
      () => paused.output.includes(`Task ${id}: this worker's lease was lost`),
      'its report was refused',
    );
    expect(await producer.getTask(id!)).toMatchObject({
      status: TaskStatus.Succeeded,
      attempts: 2,
      result: { pid: replacement.pid },
    });
  }, 30_000);

  it('hands back unstarted a claim answered after its lease expired: the task runs once, elsewhere (issue 16)', async () => {
    const server = new URL(target.url);
    const proxy = new TcpProxy(server.hostname, Number(server.port));
    await proxy.start();
    try {
      const [id] = await producer.scheduleMany([job({ kind: 'ran' })]);
      // The worker's first claim, which takes the task, is answered late (a claim names its worker: host:pid:...).
      proxy.holdRepliesAfter(target.claimMarker?.(processes.namespace) ?? `${hostname()}:`);
      const stalled = await start({ concurrency: 1, leaseTime: 1_000, proxy });
      await eventually(
        () => producer.getTask(id!),
        (task) => task?.status === TaskStatus.Running,
        10_000,
      );

      const other = await start({ concurrency: 1, leaseTime: 1_000 });
      await other.said('ran', id, 'the other worker ran the task once its lease expired');
      await eventually(
        () => producer.getTask(id!),
        (task) => task?.status === TaskStatus.Succeeded,
      );
      proxy.releaseReplies();
      const handedBack = () => stalled.output.includes('Handing back 1 claimed task(s) unstarted');
      const ran = () => stalled.messages.some((m) => m.type === 'ran');
      await stalled.waitFor(() => handedBack() || ran(), 'the stalled claim was answered');
      expect(ran()).toBe(false);
      const task = await producer.getTask(id!);
      expect(task).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2, result: { pid: other.pid } });
    } finally {
      await proxy.stop();
    }
  }, 30_000);

  it('runs after a restart the tasks scheduled before the app closed, delayed ones when due', async () => {
    const first = await start();
    const now = await producer.scheduleMany(Array.from({ length: 10 }, () => job({ kind: 'ran' })));
    const later = await producer.scheduleMany(Array.from({ length: 10 }, () => job({ kind: 'ran' }, { delay: 2_000 })));
    const ran = (worker: WorkerProcess) => worker.messages.filter((m) => m.type === 'ran').map((m) => m.taskId);
    await first.waitFor(() => ran(first).length === 10, 'the due tasks ran');
    await first.close();
    expect(ran(first).sort()).toEqual([...now].sort());
    expect((await producer.counts()).pending).toBe(10);

    const second = await start();
    await second.waitFor(() => ran(second).length === 10, 'the delayed tasks ran');
    expect(ran(second).sort()).toEqual([...later].sort());
    await eventually(
      () => producer.counts(),
      (counts) => counts.succeeded === 20,
    );
    for (const id of later) {
      const task = (await producer.getTask(id))!;
      expect(task.status).toBe(TaskStatus.Succeeded);
      expect(task.startedAt!.getTime()).toBeGreaterThanOrEqual(task.runAt.getTime());
    }
  }, 30_000);

  it('ends the process soon after the app closes while a delayed task is pending (issue 15)', async () => {
    const [id] = await producer.scheduleMany([job({ kind: 'ran' }, { delay: 60_000 })]);
    // The app closes as soon as it started, while its first claim (which sees the delayed task) is on its way.
    const worker = await start({ closeOnceStarted: true });
    expect(await worker.exitWithin(5_000)).toEqual({ code: 0, signal: null });
    expect(worker.messages.map((m) => m.type)).toEqual(['ready', 'closed']);
    expect(await producer.getTask(id!)).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });
  }, 30_000);

  it('aborts a task running in another process when it is cancelled here, and frees its partition', async () => {
    const worker = await start();
    const [id, behind] = await producer.scheduleMany([
      job({ kind: 'until-aborted' }, { partitionKey: 'c' }),
      job({ kind: 'ran' }, { partitionKey: 'c' }),
    ]);
    await worker.waitFor(() => worker.started(id).length === 1, 'the task started');
    expect(await producer.cancel(id!)).toBe(true);
    const aborted = (m: WorkerMessage) => m.type === 'aborted' && m.taskId === id && m.reason === 'TaskCancelledError';
    await worker.waitFor(() => worker.messages.some(aborted), 'the task was aborted');
    await worker.said('ran', behind, 'the next task of the partition ran');
    expect(await producer.getTask(id!)).toMatchObject({ status: TaskStatus.Cancelled, attempts: 1 });
    await eventually(
      () => producer.getTask(behind!),
      (task) => task?.status === TaskStatus.Succeeded,
    );
  }, 30_000);

  // --- Operators: retry and remove here, seen by the workers of other processes ---
  it('runs in another process at once a task retried here, and never one removed here', async () => {
    const [failed, removed] = await producer.scheduleMany([job({ kind: 'ran' }), job({ kind: 'ran' }, { delay: 500 })]);
    // This process fails the first attempt itself (it has no worker), before any worker process exists.
    const { tasks } = await producer.store.claim({ workerId: 'test', limit: 1 });
    expect(tasks.map((t) => t.id)).toEqual([failed]);
    await producer.store.fail({ taskId: failed!, token: tasks[0]!.leaseToken! }, { name: 'Error', message: 'x' }, null);
    expect(await producer.remove(removed!)).toBe(true);
    const worker = await start();
    const retriedAt = Date.now();
    expect(await producer.retry(failed!)).toBe(true);
    await worker.said('ran', failed, 'the worker ran the retried task');
    // Woken by the store's signal, not by its safety poll.
    expect(Date.now() - retriedAt).toBeLessThan(2_000);
    await eventually(
      () => producer.getTask(failed!),
      (task) => task?.status === TaskStatus.Succeeded,
    );
    expect(await producer.getTask(failed!)).toMatchObject({ attempts: 2, result: { pid: worker.pid } });
    await producer
      .scheduleMany([job({ kind: 'ran' }, { delay: 600 })])
      .then(([id]) => worker.said('ran', id, 'a later task ran'));
    expect(worker.messages.filter((m) => m.type === 'ran').map((m) => m.taskId)).not.toContain(removed);
  }, 30_000);
}
