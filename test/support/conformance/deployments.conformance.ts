import {
  TaskStatus,
  type ClaimableHandler,
  type DeploymentStoreMethods,
  type ITaskStore,
  type NewTask,
  type StoreSignal,
  type TaskRecord,
} from '../../../lib/index.js';
import { eventually } from '../eventually.js';

/** What the deployment rules need of the conformance suite: a fresh store per test, and its task maker. */
export interface ConformanceContext {
  open(options?: { leaseTime?: number }): Promise<ITaskStore>;
  newTask(overrides?: Partial<NewTask>): NewTask;
}

type Deployments = Required<Omit<DeploymentStoreMethods, 'supportsDeployments'>>;
type Handlers = Record<string, ClaimableHandler>;

const leaseOf = (task: TaskRecord) => ({ taskId: task.id, token: task.leaseToken! });
const ids = (tasks: TaskRecord[]) => tasks.map((task) => task.id);
const sorted = (values: string[]) => [...values].sort();
const boom = { name: 'Error', message: 'boom' };

/** The deployment methods of a store with `supportsDeployments`, bound; undefined for a store without it. */
function deploymentsOf(store: ITaskStore): Deployments | undefined {
  if (!store.supportsDeployments) return undefined;
  const { postpone, setPaused, getPaused, heartbeatWorker, removeWorker, listWorkers, dueHandlers } = store;
  if (!postpone || !setPaused || !getPaused || !heartbeatWorker || !removeWorker || !listWorkers || !dueHandlers)
    throw new Error('a store with supportsDeployments lacks one of the deployment methods');
  return {
    postpone: postpone.bind(store),
    setPaused: setPaused.bind(store),
    getPaused: getPaused.bind(store),
    heartbeatWorker: heartbeatWorker.bind(store),
    removeWorker: removeWorker.bind(store),
    listWorkers: listWorkers.bind(store),
    dueHandlers: dueHandlers.bind(store),
  };
}

/**
 * The deployment rules (issue 10) every store with `supportsDeployments` keeps: claims of listed handlers only,
 * per-handler limits across claimers, postpone, pause and the worker registry. A store without it skips them.
 */
export function describeDeploymentConformance(context: ConformanceContext): void {
  const { open, newTask } = context;
  const claim = (store: ITaskStore, handlers: Handlers, workerId = 'w1', limit = 1_000) =>
    store.claim({ workerId, limit, handlers });
  /** A test on a fresh store with deployments; passes at once on a store without them. */
  const itWith = (
    name: string,
    test: (store: ITaskStore, deployments: Deployments) => Promise<void>,
    options: { leaseTime?: number; timeout?: number } = {},
  ) =>
    it(
      name,
      async () => {
        const store = await open({ leaseTime: options.leaseTime });
        const deployments = deploymentsOf(store);
        if (deployments !== undefined) await test(store, deployments);
      },
      options.timeout,
    );

  describe('deployments (supportsDeployments)', () => {
    describe('claims of listed handlers', () => {
      itWith("claims only the listed handlers' tasks; an unlisted one at the head stays pending", async (store) => {
        const now = Date.now();
        const head = newTask({ handler: 'other', runAt: now - 100, priority: 9 });
        const mine = [newTask({ handler: 'mine', runAt: now - 50 }), newTask({ handler: 'mine', runAt: now - 40 })];
        await store.add([head, ...mine]);
        const batch = await claim(store, { mine: {} }, 'w1', 1);
        expect(ids(batch.tasks)).toEqual([mine[0]!.id]);
        expect(ids((await claim(store, { mine: {} })).tasks)).toEqual([mine[1]!.id]);
        expect(await store.get(head.id)).toMatchObject({ status: TaskStatus.Pending, attempts: 0 });
        expect((await claim(store, { mine: {} })).tasks).toEqual([]);
        expect(ids((await claim(store, { other: {}, mine: {} })).tasks)).toEqual([head.id]);
      });

      itWith('an empty handler set claims nothing', async (store) => {
        await store.add([newTask({ handler: 'a' })]);
        expect((await claim(store, {})).tasks).toEqual([]);
        expect((await store.counts()).pending).toBe(1);
      });

      itWith('keeps priority, then (runAt, insertion order), across handlers', async (store) => {
        const now = Date.now();
        const low = newTask({ handler: 'a', priority: 0, runAt: now - 30 });
        const highLater = newTask({ handler: 'b', priority: 5, runAt: now - 10 });
        const highEarlier = newTask({ handler: 'a', priority: 5, runAt: now - 20 });
        const lowSecond = newTask({ handler: 'b', priority: 0, runAt: now - 30 });
        const unlisted = newTask({ handler: 'c', priority: 7, runAt: now - 40 });
        await store.add([low, highLater, unlisted, highEarlier, lowSecond]);
        const order = [];
        for (let i = 0; i < 4; i++) order.push(ids((await claim(store, { a: {}, b: {} }, 'w1', 1)).tasks)[0]);
        expect(order).toEqual([highEarlier.id, highLater.id, low.id, lowSecond.id]);
      });

      itWith(
        "keeps partitions across handlers: only a partition's head is claimable, by its handler",
        async (store) => {
          const now = Date.now();
          const head = newTask({ handler: 'a', partitionKey: 'p', runAt: now - 20 });
          const behind = newTask({ handler: 'b', partitionKey: 'p', runAt: now - 10 });
          await store.add([head, behind]);
          expect((await claim(store, { b: {} })).tasks).toEqual([]);
          const [claimed] = (await claim(store, { a: {}, b: {} })).tasks;
          expect(claimed!.id).toBe(head.id);
          expect((await claim(store, { a: {}, b: {} })).tasks).toEqual([]);
          await store.complete(leaseOf(claimed!));
          expect(ids((await claim(store, { b: {} })).tasks)).toEqual([behind.id]);
        },
      );

      itWith("claims at most a handler's `limit`, and at most the request's `limit` in all", async (store) => {
        await store.add([...Array.from({ length: 5 }, () => newTask({ handler: 'a' }))]);
        await store.add([...Array.from({ length: 5 }, () => newTask({ handler: 'b' }))]);
        const batch = await claim(store, { a: { limit: 2 }, b: {} });
        const handlers = batch.tasks.map((task) => task.handler);
        expect(handlers.filter((h) => h === 'a')).toHaveLength(2);
        expect(handlers.filter((h) => h === 'b')).toHaveLength(5);
        expect((await claim(store, { a: { limit: 2 }, b: {} }, 'w1', 1)).tasks).toHaveLength(1);
        expect((await store.counts()).pending).toBe(2);
      });
    });

    describe('globalConcurrency', () => {
      const capped: Handlers = { g: { globalConcurrency: 2 } };

      itWith('counts the running tasks of every claimer; complete, fail and cancel free a slot', async (store) => {
        await store.add(Array.from({ length: 6 }, () => newTask({ handler: 'g', maxRetries: 1 })));
        const first = (await claim(store, capped, 'w1')).tasks;
        expect(first).toHaveLength(2);
        expect((await claim(store, capped, 'w2')).tasks).toEqual([]);
        await store.complete(leaseOf(first[0]!));
        const second = (await claim(store, capped, 'w2')).tasks;
        expect(second).toHaveLength(1);
        expect((await claim(store, capped, 'w3')).tasks).toEqual([]);
        await store.fail(leaseOf(first[1]!), boom, 60_000);
        const third = (await claim(store, capped, 'w3')).tasks;
        expect(third).toHaveLength(1);
        await store.cancel(second[0]!.id);
        expect((await claim(store, capped, 'w1')).tasks).toHaveLength(1);
        expect((await claim(store, capped, 'w1')).tasks).toEqual([]);
        expect((await store.counts()).running).toBe(2);
      });

      itWith('signals wake when a slot is freed', async (store) => {
        await store.add(Array.from({ length: 3 }, () => newTask({ handler: 'g' })));
        const [running] = (await claim(store, capped)).tasks;
        const signals: StoreSignal[] = [];
        const unsubscribe = store.subscribe((signal) => signals.push(signal));
        try {
          await store.complete(leaseOf(running!));
          await eventually(
            async () => signals,
            (s) => s.some((x) => x.type === 'wake' && (x.inMs ?? 0) <= 0),
          );
        } finally {
          unsubscribe();
        }
      });

      itWith(
        'a running task whose lease expired frees its slot',
        async (store) => {
          await store.add(Array.from({ length: 3 }, () => newTask({ handler: 'g' })));
          expect((await claim(store, capped, 'dead')).tasks).toHaveLength(2);
          expect((await claim(store, capped, 'w2')).tasks).toEqual([]);
          const taken = await eventually(
            async () => (await claim(store, capped, 'w2')).tasks,
            (tasks) => tasks.length > 0,
            10_000,
          );
          expect(taken.length).toBeLessThanOrEqual(2);
          expect((await store.counts()).running).toBeLessThanOrEqual(2);
        },
        { leaseTime: 300, timeout: 15_000 },
      );

      itWith('a postponed task frees its slot', async (store, { postpone }) => {
        const keyed = newTask({ handler: 'g', rateLimitKey: 'k1' });
        await store.add([keyed, newTask({ handler: 'g' }), newTask({ handler: 'g' })]);
        const first = (await claim(store, capped)).tasks;
        expect(first).toHaveLength(2);
        // A keyed task holds only its key: the slot it frees goes to a task without that key.
        const postponed = first.find((task) => task.id === keyed.id);
        expect(postponed).toBeDefined();
        expect(await postpone(leaseOf(postponed!), 60_000)).toBe(true);
        expect((await claim(store, capped)).tasks).toHaveLength(1);
      });

      itWith(
        'a capped handler with a big backlog does not keep another handler from its tasks',
        async (store) => {
          const now = Date.now();
          const backlog = Array.from({ length: 5_000 }, (_, i) =>
            newTask({ handler: 'big', priority: 5, runAt: now - 10_000 + (i % 100) }),
          );
          for (let i = 0; i < backlog.length; i += 1_000) await store.add(backlog.slice(i, i + 1_000));
          const small = Array.from({ length: 3 }, () => newTask({ handler: 'small' }));
          await store.add(small);
          const handlers: Handlers = { big: { globalConcurrency: 1 }, small: {} };
          const first = await claim(store, handlers, 'w1', 2);
          expect(first.tasks.map((task) => task.handler).sort()).toEqual(['big', 'small']);
          const rest = await claim(store, handlers, 'w1', 10);
          expect(sorted(rest.tasks.map((task) => task.handler))).toEqual(['small', 'small']);
          // The handler left out (at its per-process cap) does not hold others up either.
          await store.add([newTask({ handler: 'small' })]);
          expect((await claim(store, { small: {} }, 'w2', 5)).tasks).toHaveLength(1);
          expect((await claim(store, handlers, 'w1', 10)).tasks).toEqual([]);
        },
        { timeout: 30_000 },
      );
    });

    describe('rateLimit', () => {
      itWith('starts at most `limit` in a window, and claims again when the window ends', async (store) => {
        const interval = 600;
        const limited: Handlers = { r: { rateLimit: { limit: 2, interval } } };
        await store.add(Array.from({ length: 5 }, () => newTask({ handler: 'r' })));
        const before = Date.now();
        const first = await claim(store, limited);
        expect(first.tasks).toHaveLength(2);
        await Promise.all(first.tasks.map((task) => store.complete(leaseOf(task))));
        const held = await claim(store, limited, 'w2');
        expect(held.tasks).toEqual([]);
        expect(held.nextDueInMs).toBeGreaterThan(0);
        expect(held.nextDueInMs).toBeLessThanOrEqual(interval);
        const second = await eventually(
          async () => (await claim(store, limited, 'w2')).tasks,
          (tasks) => tasks.length > 0,
        );
        expect(Date.now()).toBeGreaterThanOrEqual(before + interval - 50);
        expect(second).toHaveLength(2);
      });

      itWith('applies to each rateLimitKey separately; tasks without a key share one window', async (store) => {
        const limited: Handlers = { r: { rateLimit: { limit: 1, interval: 60_000 } } };
        const k1 = [newTask({ handler: 'r', rateLimitKey: 'k1' }), newTask({ handler: 'r', rateLimitKey: 'k1' })];
        const k2 = [newTask({ handler: 'r', rateLimitKey: 'k2' }), newTask({ handler: 'r', rateLimitKey: 'k2' })];
        const keyless = [newTask({ handler: 'r' }), newTask({ handler: 'r' })];
        await store.add([k1[0]!, k2[0]!, keyless[0]!, k1[1]!, k2[1]!, keyless[1]!]);
        const first = await claim(store, limited, 'w1');
        expect(sorted(ids(first.tasks))).toEqual(sorted([k1[0]!.id, k2[0]!.id, keyless[0]!.id]));
        const held = await claim(store, limited, 'w2');
        expect(held.tasks).toEqual([]);
        expect(held.nextDueInMs).toBeGreaterThan(50_000);
        expect(held.nextDueInMs).toBeLessThanOrEqual(60_000);
        await store.add([newTask({ handler: 'r', rateLimitKey: 'k3' })]);
        expect((await claim(store, limited, 'w2')).tasks.map((task) => task.rateLimitKey)).toEqual(['k3']);
      });

      itWith('a rate-limited handler does not hold up another handler', async (store) => {
        const now = Date.now();
        await store.add(Array.from({ length: 50 }, () => newTask({ handler: 'r', priority: 5, runAt: now - 100 })));
        await store.add([newTask({ handler: 'other' })]);
        const handlers: Handlers = { r: { rateLimit: { limit: 1, interval: 60_000 } }, other: {} };
        const batch = await claim(store, handlers, 'w1', 10);
        expect(sorted(batch.tasks.map((task) => task.handler))).toEqual(['other', 'r']);
      });
    });

    describe('postpone', () => {
      itWith(
        'makes the task pending again in the delay, not using up a retry, and holds its handler',
        async (store, d) => {
          const task = newTask({ handler: 'p', maxRetries: 0 });
          const sibling = newTask({ handler: 'p' });
          const other = newTask({ handler: 'q' });
          await store.add([task, sibling, other]);
          const [claimed] = (await claim(store, { p: { limit: 1 } })).tasks;
          expect(claimed!.id).toBe(task.id);
          const before = Date.now();
          expect(await d.postpone(leaseOf(claimed!), 60_000)).toBe(true);
          const record = (await store.get(task.id))!;
          expect(record).toMatchObject({ status: TaskStatus.Pending, attempts: 1, retryBase: 1 });
          expect(record.runAt).toBeGreaterThanOrEqual(before + 60_000 - 1_000);
          const batch = await claim(store, { p: {}, q: {} }, 'w2');
          expect(ids(batch.tasks)).toEqual([other.id]);
          const held = await claim(store, { p: {} }, 'w2');
          expect(held.nextDueInMs).toBeGreaterThan(50_000);
          expect(held.nextDueInMs).toBeLessThanOrEqual(60_000);
          expect(await store.get(sibling.id)).toMatchObject({ status: TaskStatus.Pending });
        },
      );

      itWith('claims the task again once the delay passed, its attempt counted', async (store, { postpone }) => {
        await store.add([newTask({ handler: 'p', maxRetries: 0 })]);
        const [claimed] = (await claim(store, { p: {} })).tasks;
        expect(await postpone(leaseOf(claimed!), 200)).toBe(true);
        expect((await claim(store, { p: {} })).tasks).toEqual([]);
        const again = await eventually(
          async () => (await claim(store, { p: {} })).tasks,
          (tasks) => tasks.length > 0,
        );
        expect(again[0]).toMatchObject({ id: claimed!.id, attempts: 2, retryBase: 1 });
        expect(await postpone(leaseOf(again[0]!), 0)).toBe(true);
        expect((await store.get(claimed!.id))!.retryBase).toBe(2);
      });

      itWith('a task with a rateLimitKey holds only its key', async (store, { postpone }) => {
        const k1 = newTask({ handler: 'p', rateLimitKey: 'k1' });
        const k1Next = newTask({ handler: 'p', rateLimitKey: 'k1' });
        const k2 = newTask({ handler: 'p', rateLimitKey: 'k2' });
        const keyless = newTask({ handler: 'p' });
        await store.add([k1]);
        const [claimed] = (await claim(store, { p: {} })).tasks;
        expect(await postpone(leaseOf(claimed!), 60_000)).toBe(true);
        await store.add([k1Next, k2, keyless]);
        expect(sorted(ids((await claim(store, { p: {} })).tasks))).toEqual(sorted([k2.id, keyless.id]));
        expect(await store.get(k1Next.id)).toMatchObject({ status: TaskStatus.Pending });
      });

      itWith('keeps the partition, as a retry does', async (store, { postpone }) => {
        const head = newTask({ handler: 'p', partitionKey: 'part', rateLimitKey: 'k1' });
        const behind = newTask({ handler: 'q', partitionKey: 'part' });
        await store.add([head, behind]);
        const [claimed] = (await claim(store, { p: {}, q: {} })).tasks;
        expect(await postpone(leaseOf(claimed!), 60_000)).toBe(true);
        expect((await claim(store, { p: {}, q: {} })).tasks).toEqual([]);
      });

      itWith('refuses a stale lease, and a task cancelled meanwhile', async (store, { postpone }) => {
        await store.add([newTask({ handler: 'p' }), newTask({ handler: 'p' })]);
        const [first, second] = (await claim(store, { p: {} })).tasks;
        expect(await postpone({ taskId: first!.id, token: `${first!.leaseToken}-stale` }, 1_000)).toBe(false);
        expect((await store.get(first!.id))!.status).toBe(TaskStatus.Running);
        await store.cancel(second!.id);
        expect(await postpone(leaseOf(second!), 1_000)).toBe(false);
        expect((await store.get(second!.id))!.status).toBe(TaskStatus.Cancelled);
        // A refused postpone holds nothing.
        await store.add([newTask({ handler: 'p' })]);
        expect((await claim(store, { p: {} })).tasks).toHaveLength(1);
      });
    });

    describe('pause', () => {
      itWith(
        "leaves a paused handler's tasks and a paused queue's pending",
        async (store, { setPaused, getPaused }) => {
          expect(await getPaused()).toEqual({ queue: false, handlers: [] });
          await store.add([newTask({ handler: 'a' }), newTask({ handler: 'b' }), newTask({ handler: 'b' })]);
          await setPaused('a', true);
          expect(await getPaused()).toEqual({ queue: false, handlers: ['a'] });
          expect((await claim(store, { a: {}, b: {} }, 'w1', 1)).tasks.map((task) => task.handler)).toEqual(['b']);
          await setPaused(null, true);
          expect(await getPaused()).toEqual({ queue: true, handlers: ['a'] });
          expect((await claim(store, { a: {}, b: {} })).tasks).toEqual([]);
          await setPaused(null, false);
          expect((await claim(store, { a: {}, b: {} })).tasks.map((task) => task.handler)).toEqual(['b']);
          await setPaused('a', false);
          expect(await getPaused()).toEqual({ queue: false, handlers: [] });
          expect((await claim(store, { a: {}, b: {} })).tasks.map((task) => task.handler)).toEqual(['a']);
        },
      );

      itWith(
        'pausing twice, or resuming what is not paused, changes nothing',
        async (_store, { setPaused, getPaused }) => {
          await setPaused('a', true);
          await setPaused('a', true);
          await setPaused('z', false);
          expect(await getPaused()).toEqual({ queue: false, handlers: ['a'] });
        },
      );

      itWith('a resume signals wake', async (store, { setPaused }) => {
        await setPaused('a', true);
        await setPaused(null, true);
        await store.add([newTask({ handler: 'a' })]);
        const signals: StoreSignal[] = [];
        const unsubscribe = store.subscribe((signal) => signals.push(signal));
        const wakes = () => signals.filter((s) => s.type === 'wake' && (s.inMs ?? 0) <= 0).length;
        try {
          await setPaused('a', false);
          await eventually(
            async () => wakes(),
            (n) => n >= 1,
          );
          const seen = wakes();
          await setPaused(null, false);
          await eventually(
            async () => wakes(),
            (n) => n > seen,
          );
        } finally {
          unsubscribe();
        }
      });
    });

    describe('worker registry', () => {
      const worker = (id: string, overrides: Record<string, unknown> = {}) => ({
        id,
        hostname: 'host-1',
        pid: 4242,
        handlers: ['a', 'b'],
        concurrency: 10,
        running: 0,
        startedAt: Date.now() - 1_000,
        ...overrides,
      });

      itWith('keeps the records of live workers, refreshed by their heartbeat', async (_store, d) => {
        const before = Date.now();
        const w1 = worker('w1');
        await d.heartbeatWorker(w1, 60_000);
        await d.heartbeatWorker(worker('w2', { handlers: [] }), 60_000);
        const listed = await d.listWorkers();
        expect(sorted(listed.map((w) => w.id))).toEqual(['w1', 'w2']);
        const one = listed.find((w) => w.id === 'w1')!;
        expect(one).toMatchObject(w1);
        expect(one.lastSeenAt).toBeGreaterThanOrEqual(before - 1_000);
        expect(one.lastSeenAt).toBeLessThanOrEqual(Date.now() + 1_000);
        await d.heartbeatWorker({ ...w1, running: 3 }, 60_000);
        expect((await d.listWorkers()).find((w) => w.id === 'w1')).toMatchObject({ running: 3 });
        expect(await d.listWorkers()).toHaveLength(2);
        await d.removeWorker('w1');
        expect((await d.listWorkers()).map((w) => w.id)).toEqual(['w2']);
        await d.removeWorker('unknown');
      });

      itWith('drops a worker once its ttl passed unseen', async (_store, d) => {
        await d.heartbeatWorker(worker('lives'), 60_000);
        await d.heartbeatWorker(worker('dies'), 300);
        expect(await d.listWorkers()).toHaveLength(2);
        const left = await eventually(
          async () => (await d.listWorkers()).map((w) => w.id),
          (list) => list.length === 1,
        );
        expect(left).toEqual(['lives']);
      });
    });

    itWith('dueHandlers names the handlers with due pending tasks', async (store, { dueHandlers, setPaused }) => {
      expect(await dueHandlers()).toEqual([]);
      await store.add([
        newTask({ handler: 'due' }),
        newTask({ handler: 'due' }),
        newTask({ handler: 'later', runAt: Date.now() + 60_000 }),
        newTask({ handler: 'runs' }),
        newTask({ handler: 'paused' }),
      ]);
      await claim(store, { runs: {} });
      await setPaused('paused', true);
      expect(sorted(await dueHandlers())).toEqual(['due', 'paused']);
    });
  });
}
