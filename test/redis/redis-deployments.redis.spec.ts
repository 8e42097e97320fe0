import { TaskStatus, type ClaimableHandler, type ITaskStore, type TaskRecord } from '../../lib/index.js';
import { eventually } from '../support/eventually.js';
import { newTask } from '../support/store-conformance.js';
import { nextSignal, useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeIfUp } from '../support/store-target.js';
import { redisTarget } from './redis.store-target.js';

const describeRedis = await describeIfUp(redisTarget);

const leaseOf = (task: TaskRecord) => ({ taskId: task.id, token: task.leaseToken! });
const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id).sort();
const claim = (store: ITaskStore, handlers?: Record<string, ClaimableHandler>, limit = 100) =>
  store.claim({ workerId: 'w', limit, handlers });

/**
 * The Redis store's ready lanes (lua/lanes.lua.ts): what the deployments conformance does not reach, the keys of a
 * rateLimitKey parked while full or held and put back, and the operators, flows and partitions moving keyed tasks.
 */
describeRedis('RedisTaskStore ready lanes (deployments)', () => {
  const { open } = useStoreSpecHarness(redisTarget, 'redis-lanes');
  const limited = { r: { rateLimit: { limit: 1, interval: 300 } } };

  it('claims a key again once its full window ended, in order, after the keys that were not full', async () => {
    const store = await open();
    const now = Date.now();
    const first = [newTask({ handler: 'r', rateLimitKey: 'k1', runAt: now - 30 })];
    first.push(newTask({ handler: 'r', rateLimitKey: 'k1', runAt: now - 20 }));
    const k2 = newTask({ handler: 'r', rateLimitKey: 'k2', runAt: now - 10 });
    await store.add([...first, k2]);
    expect(ids((await claim(store, limited)).tasks)).toEqual(ids([first[0]!, k2]));
    const held = await claim(store, limited);
    expect(held.tasks).toEqual([]);
    expect(held.nextDueInMs).toBeLessThanOrEqual(300);
    const again = await eventually(
      async () => (await claim(store, limited)).tasks,
      (tasks) => tasks.length > 0,
    );
    expect(ids(again)).toEqual([first[1]!.id]);
  });

  it('claims without handlers leave held keys and paused handlers out too', async () => {
    const store = await open();
    await store.add([newTask({ handler: 'p', rateLimitKey: 'k1' })]);
    const [running] = (await claim(store)).tasks;
    expect(await store.postpone!(leaseOf(running!), 60_000)).toBe(true);
    const paused = newTask({ handler: 'q' });
    const free = newTask({ handler: 'p', rateLimitKey: 'k2' });
    await store.add([newTask({ handler: 'p', rateLimitKey: 'k1' }), paused, free]);
    await store.setPaused!('q', true);
    expect(ids((await claim(store)).tasks)).toEqual([free.id]);
    expect(await store.dueHandlers!()).toEqual(['p', 'q']);
  });

  it('cancel, remove and retry move keyed tasks in and out of their lanes', async () => {
    const store = await open();
    const now = Date.now();
    const [a, b, c] = [0, 1, 2].map((i) => newTask({ handler: 'r', rateLimitKey: 'k', runAt: now - 30 + i }));
    await store.add([a!, b!, c!]);
    await store.cancel(a!.id);
    expect(await store.remove!(b!.id)).toBe(true);
    const unlimited = { r: {} };
    expect(ids((await claim(store, unlimited, 1)).tasks)).toEqual([c!.id]);
    expect(await store.retry!(a!.id)).toBe(true);
    expect(ids((await claim(store, unlimited)).tasks)).toEqual([a!.id]);
    expect(await store.backlog!()).toEqual({ delayed: 0, oldestDueAt: undefined });
  });

  it('a keyed task behind a partition or a dependency is placed in its lane when its turn comes', async () => {
    const store = await open();
    const head = newTask({ handler: 'a', partitionKey: 'part' });
    const behind = newTask({ handler: 'r', partitionKey: 'part', rateLimitKey: 'k' });
    const dependent = newTask({ handler: 'r', rateLimitKey: 'k2', dependsOn: [head.id] });
    await store.add([head, behind, dependent]);
    expect((await claim(store, { r: {} })).tasks).toEqual([]);
    const [running] = (await claim(store, { a: {} })).tasks;
    await store.complete(leaseOf(running!));
    expect(ids((await claim(store, { r: {} })).tasks)).toEqual(ids([behind, dependent]));
  });

  it("signals a due task of a handler whose only due backlog is another, capped handler's", async () => {
    const store = await open();
    await store.add(Array.from({ length: 3 }, () => newTask({ handler: 'capped' })));
    expect((await claim(store, { capped: { globalConcurrency: 1 } })).tasks).toHaveLength(1);
    const wake = nextSignal(store, (signal) => signal.type === 'wake' && (signal.inMs ?? 0) === 0);
    await store.add([newTask({ handler: 'other' })]);
    await expect(wake).resolves.toMatchObject({ type: 'wake' });
  });

  it('a final failure and a lease taken over free a globalConcurrency slot once', async () => {
    const store = await open({ leaseTime: 300 });
    const capped = { g: { globalConcurrency: 1 } };
    await store.add(Array.from({ length: 3 }, () => newTask({ handler: 'g' })));
    const [first] = (await claim(store, capped)).tasks;
    await store.fail(leaseOf(first!), { name: 'Error', message: 'boom' }, null);
    const [second] = (await claim(store, capped)).tasks;
    expect(second).toBeDefined();
    // Its worker dies: the slot comes back with the lease, and the late report frees nothing more.
    const taken = await eventually(
      async () => (await claim(store, capped)).tasks,
      (tasks) => tasks.length > 0,
    );
    expect(taken).toHaveLength(1);
    expect(await store.complete(leaseOf(second!))).toBe(false);
    expect((await claim(store, capped)).tasks).toEqual([]);
    expect((await store.counts())[TaskStatus.Running]).toBe(1);
  });
});
