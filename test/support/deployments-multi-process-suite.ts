import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineTask, TaskQueue, TaskStatus, type ITaskStore, type TaskInfo } from '../../lib/index.js';
import { builtLibrary } from './built-library.js';
import { eventually } from './eventually.js';
import { createStore, describeIfUp, type BaseStoreOptions, type StoreTarget } from './store-target.js';
import { WorkerProcess, type WorkerMessage } from './worker-process.js';

const APP = resolve(import.meta.dirname, 'fixtures/deployments-worker-app.mjs');

/**
 * Deployments (issue 10) across processes, once for every durable store: worker apps with handler sets of their
 * own (fixtures/deployments-worker-app.mjs) and a producer-only queue in this process that knows the handlers by
 * their contracts only, all on one namespace. Limits are checked on what the workers say and the store holds.
 */
export async function describeDeploymentsMultiProcess<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(`${target.Store.name}: deployments across processes`, () => scenarios(target));
}

type Args = { ms?: number; slowDown?: number } | undefined;
const Alpha = defineTask<Args>('alpha');
const Beta = defineTask<Args>('beta');
const Gamma = defineTask<Args>('gamma');
const Delta = defineTask<Args>('delta');
const Orphan = defineTask<Args>('orphan');
const Capped = defineTask<Args>('capped');
const Limited = defineTask<Args>('limited');
/** Its tasks name their tenant (`rateLimitKey`), which needs a `rateLimit`: the contract says so in every process. */
const PARTNER_DEFAULTS = { rateLimit: { limit: 1_000, interval: 1_000 } };
const Partner = defineTask<Args>('partner', PARTNER_DEFAULTS);

interface HandlerSpec {
  name: string;
  defaults?: object;
  options?: object;
}
const only = (...names: string[]): HandlerSpec[] => names.map((name) => ({ name }));

/** The most attempts running at once, from the workers' started/finished messages (a finish first on a tie). */
function mostAtOnce(messages: WorkerMessage[]): number {
  const edges = messages
    .filter((m) => m.type === 'started' || m.type === 'finished')
    .map((m) => ({ at: m.at!, step: m.type === 'started' ? 1 : -1 }))
    .sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  return most;
}

function scenarios<S extends ITaskStore, O extends BaseStoreOptions>(target: StoreTarget<S, O>): void {
  let namespace: string;
  let producer: TaskQueue;
  let workers: WorkerProcess[] = [];
  const start = async (handlers: HandlerSpec[], { concurrency = 10, leaseTime = 30_000 } = {}) => {
    const library = builtLibrary(target.id);
    const worker = await WorkerProcess.start({
      app: APP,
      lib: library.module('index.js'),
      store: {
        module: library.module(target.module),
        exportName: target.Store.name,
        options: { ...target.options(namespace), leaseTime },
      },
      concurrency,
      handlers,
    });
    workers.push(worker);
    return worker;
  };
  const succeeded = (count: number, timeoutMs = 30_000) =>
    eventually(
      () => producer.counts(),
      (counts) => counts.succeeded >= count,
      timeoutMs,
      50,
    );
  const tasksOf = async (ids: string[]): Promise<TaskInfo[]> =>
    Promise.all(ids.map(async (id) => (await producer.getTask(id))!));

  beforeAll(() => {
    builtLibrary(target.id);
  }, 60_000);

  beforeEach(async () => {
    namespace = target.uniqueNamespace('deploy');
    // Producer-only: it registers no handler, it knows them by their contracts.
    producer = new TaskQueue({ store: createStore(target, namespace), autoStart: false, logger: false });
    await producer.init();
  });

  afterEach(async () => {
    for (const worker of workers) await worker.kill();
    workers = [];
    await producer?.close();
    await target.dispose(namespace);
  });

  it('two worker apps with disjoint handler sets: 1,000 tasks, each runs once on an app that has its handler', async () => {
    const [left, right] = await Promise.all([start(only('alpha', 'beta')), start(only('gamma', 'delta'))]);
    const contracts = [Alpha, Beta, Gamma, Delta];
    const ids = await producer.scheduleMany(
      Array.from({ length: 1_000 }, (_, i) => ({ handler: contracts[i % 4]!, args: {} })),
    );
    await succeeded(1_000, 60_000);
    const pidOf: Record<string, number> = { alpha: left.pid, beta: left.pid, gamma: right.pid, delta: right.pid };
    for (const task of await tasksOf(ids)) {
      expect(task).toMatchObject({ status: TaskStatus.Succeeded, attempts: 1 });
      expect(task.result).toEqual({ pid: pidOf[task.handler], handler: task.handler });
    }
    expect(await producer.counts()).toMatchObject({ pending: 0, running: 0, failed: 0, succeeded: 1_000 });
  }, 90_000);

  it('a task of a handler no worker runs stays pending, then runs when a worker with it starts', async () => {
    await start(only('alpha'));
    const orphan = await producer.schedule(Orphan, {});
    // A task added after it, run by the live worker: that worker claimed past the orphan.
    const marker = await producer.schedule(Alpha, {});
    expect(await producer.waitFor(marker, { timeout: 20_000 })).toMatchObject({ status: TaskStatus.Succeeded });
    expect(await producer.getTask(orphan)).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });
    const late = await start(only('orphan'));
    const done = await producer.waitFor(orphan, { timeout: 20_000 });
    expect(done).toMatchObject({ status: TaskStatus.Succeeded, attempts: 1, result: { pid: late.pid } });
  }, 60_000);

  it('globalConcurrency 2 across 3 processes is never exceeded', async () => {
    const capped = [{ name: 'capped', options: { globalConcurrency: 2 } }];
    await Promise.all([start(capped), start(capped), start(capped)]);
    const ids = await producer.scheduleMany(Array.from({ length: 30 }, () => ({ handler: Capped, args: { ms: 100 } })));
    await succeeded(30);
    const messages = workers.flatMap((w) => w.messages);
    expect(messages.filter((m) => m.type === 'finished')).toHaveLength(30);
    expect(mostAtOnce(messages)).toBeLessThanOrEqual(2);
    expect((await tasksOf(ids)).every((task) => task.attempts === 1)).toBe(true);
  }, 60_000);

  it('a rate limit of 20 per second over 3 s: never more than 20 starts in any 1 s window (store clock)', async () => {
    const limited = [{ name: 'limited', options: { rateLimit: { limit: 20, interval: 1_000 } } }];
    await Promise.all([start(limited), start(limited), start(limited)]);
    const ids = await producer.scheduleMany(Array.from({ length: 60 }, () => ({ handler: Limited, args: {} })));
    await succeeded(60);
    const starts = (await tasksOf(ids)).map((task) => task.startedAt!.getTime()).sort((a, b) => a - b);
    // 21 starts within 1 s would put the 21st less than 1,000 ms after the first of them.
    for (let i = 0; i + 20 < starts.length; i++) expect(starts[i + 20]! - starts[i]!).toBeGreaterThanOrEqual(1_000);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(2_000);
  }, 60_000);

  it('RateLimitedError holds its key back in every process without using up a retry; another key runs meanwhile', async () => {
    const partner = [{ name: 'partner', defaults: PARTNER_DEFAULTS }];
    await Promise.all([start(partner), start(partner), start(partner)]);
    const first = await producer.schedule(Partner, { slowDown: 3_000 }, { rateLimitKey: 'tenant-1' });
    const postponed = await eventually(
      async () => (await producer.getTask(first))!,
      (task) => task.status === TaskStatus.Pending && task.attempts === 1,
      20_000,
    );
    // Pending again until its runAt, and its key held as long (both on the store's clock).
    const heldUntil = postponed.runAt.getTime();
    const [sameKey, otherKey] = await producer.scheduleMany([
      { handler: Partner, args: {}, options: { rateLimitKey: 'tenant-1' } },
      { handler: Partner, args: {}, options: { rateLimitKey: 'tenant-2' } },
    ]);
    const other = await producer.waitFor(otherKey!, { timeout: 20_000 });
    expect(other.startedAt!.getTime()).toBeLessThan(heldUntil);
    const same = await producer.waitFor(sameKey!, { timeout: 20_000 });
    expect(same.startedAt!.getTime()).toBeGreaterThanOrEqual(heldUntil);
    const done = await producer.waitFor(first, { timeout: 20_000 });
    expect(done).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2, maxRetries: 0 });
    expect(done.startedAt!.getTime()).toBeGreaterThanOrEqual(heldUntil);
  }, 60_000);

  it('a pause holds in every process and across a restart; resume runs the tasks at once', async () => {
    const handlers = only('alpha', 'beta');
    let worker = await start(handlers);
    await producer.pause(Alpha);
    expect(await producer.isPaused(Alpha)).toBe(true);
    const paused = await producer.scheduleMany(Array.from({ length: 5 }, () => ({ handler: Alpha, args: {} })));
    const marker = await producer.schedule(Beta, {});
    expect(await producer.waitFor(marker, { timeout: 20_000 })).toMatchObject({ status: TaskStatus.Succeeded });
    // The flag is in the store: a worker started after a restart keeps it.
    await worker.close();
    worker = await start(handlers);
    const second = await producer.schedule(Beta, {});
    expect(await producer.waitFor(second, { timeout: 20_000 })).toMatchObject({ result: { pid: worker.pid } });
    for (const task of await tasksOf(paused)) expect(task).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });

    await producer.resume(Alpha);
    for (const id of paused) {
      const ran = await producer.waitFor(id, { timeout: 20_000 });
      expect(ran).toMatchObject({ status: TaskStatus.Succeeded, attempts: 1, result: { pid: worker.pid } });
    }

    // The whole queue: nothing starts while paused (nothing to await for what must not happen: a bounded look).
    await producer.pause();
    expect(await producer.isPaused()).toBe(true);
    const held = await producer.schedule(Beta, {});
    await sleep(1_000);
    expect(await producer.getTask(held)).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });
    await producer.resume();
    const ran = await producer.waitFor(held, { timeout: 20_000 });
    expect(ran).toMatchObject({ status: TaskStatus.Succeeded, attempts: 1, result: { pid: worker.pid } });
  }, 60_000);

  it('listWorkers shows the live workers with their handlers; a killed (-9) one is gone after its lease', async () => {
    const [a, b] = await Promise.all([
      start(only('alpha'), { leaseTime: 1_000, concurrency: 3 }),
      start(only('beta', 'gamma'), { leaseTime: 1_000 }),
    ]);
    const both = await eventually(
      () => producer.listWorkers(),
      (list) => list.length === 2,
      10_000,
      50,
    );
    const byPid = new Map(both.map((w) => [w.pid, w]));
    expect(byPid.get(a.pid)).toMatchObject({ hostname: hostname(), handlers: ['alpha'], concurrency: 3 });
    expect([...byPid.get(b.pid)!.handlers].sort()).toEqual(['beta', 'gamma']);
    await a.kill('SIGKILL');
    const left = await eventually(
      () => producer.listWorkers(),
      (list) => list.length === 1,
      15_000,
      100,
    );
    expect(left[0]!.pid).toBe(b.pid);
  }, 60_000);
}
