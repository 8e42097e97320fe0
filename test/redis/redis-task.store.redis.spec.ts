import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  ExponentialBackoffRetryStrategy,
  InvalidTaskOptionsError,
  reviveRetryStrategy,
  StoreUnavailableError,
  TaskStatus,
} from '../../lib/index.js';
import { RedisTaskStore } from '../../lib/stores/redis/redis-task.store.js';
import { builtLibrary } from '../support/built-library.js';
import { eventually } from '../support/eventually.js';
import { newTask } from '../support/store-conformance.js';
import { nextSignal, RETENTION, useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeSignalsBetweenStores } from '../support/store-signals-suite.js';
import { describeIfUp } from '../support/store-target.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { keysOf, REDIS_URL, redisTarget } from './redis.store-target.js';

const describeRedis = await describeIfUp(redisTarget);

describeRedis('RedisTaskStore on Redis', () => {
  const stores = useStoreSpecHarness(redisTarget, 'redis');
  const { open, logger } = stores;

  it('keeps args, metadata, results, errors and retry strategies as JSON', async () => {
    const store = await open();
    const args = {
      text: 'héllo ✓ "quoted" \n',
      n: 1.5,
      big: Number.MAX_SAFE_INTEGER,
      list: [null, true, { deep: [1] }],
      empty: {},
    };
    const retryStrategy = new ExponentialBackoffRetryStrategy({ baseDelay: 10 });
    const task = newTask({ args, metadata: { tenant: 't', tags: ['a'] }, retryStrategy, maxRetries: 1 });
    await store.add([task]);
    const [claimed] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    expect(claimed!.args).toEqual(args);
    expect(claimed!.metadata).toEqual({ tenant: 't', tags: ['a'] });
    expect(reviveRetryStrategy(claimed!.retryStrategy)).toBeInstanceOf(ExponentialBackoffRetryStrategy);
    const error = { name: 'TypeError', message: 'bad "thing"', stack: 'TypeError: bad\n    at x (y.js:1:2)' };
    await store.fail({ taskId: task.id, token: claimed!.leaseToken! }, error, 0);
    const [again] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    expect(again!.lastError).toEqual(error);
    await store.complete(
      { taskId: task.id, token: again!.leaseToken! },
      { ok: ['yes', 2], at: '2026-01-01T00:00:00.000Z' },
    );
    expect(await store.get(task.id)).toMatchObject({
      status: TaskStatus.Succeeded,
      result: { ok: ['yes', 2], at: '2026-01-01T00:00:00.000Z' },
      lastError: error,
      attempts: 2,
    });
  });

  it('keeps every key of a queue under its hash tag', async () => {
    const store = await open();
    const [a] = [newTask({ partitionKey: 'p{x}' }), newTask({ partitionKey: 'p{x}' })];
    await store.add([a!, newTask({ partitionKey: 'p{x}' }), newTask({ runAt: Date.now() + 60_000, priority: 2 })]);
    const [claimed] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    await store.complete({ taskId: claimed!.id, token: claimed!.leaseToken! });
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(keysOf(stores.namespace));
    await redis.quit();
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(key.startsWith(`{${stores.namespace}}:`)).toBe(true);
  });

  it("keeps pending tasks in Redis's compact encodings with its default settings", async () => {
    const store = await open();
    // Past zset-max-listpack-entries (128), so the indexes are in their large encodings as in production.
    const tasks = Array.from({ length: 200 }, (_, i) =>
      newTask({ runAt: Date.now() + 60_000, args: { n: i }, maxRetries: 3, timeout: 30_000 }),
    );
    await store.add(tasks);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '64']);
      for (const task of [tasks[0]!, tasks[199]!]) {
        expect(await redis.object('ENCODING', `{${stores.namespace}}:t:${task.id}`)).toBe('listpack');
        // Hash, its place in the queue and in the listing (see bench/redis-memory.bench.mjs for the figure).
        expect(await redis.memory('USAGE', `{${stores.namespace}}:t:${task.id}`)).toBeLessThanOrEqual(256);
      }
    } finally {
      await redis.quit();
    }
    expect((await store.get(tasks[7]!.id))!).toEqual({ ...tasks[7]!, status: TaskStatus.Pending, attempts: 0 });
  });

  it('keeps long args, errors and results in pieces, so the task hash stays compact', async () => {
    const store = await open();
    // Multi-byte characters, so pieces end inside a character's bytes.
    const args = { userId: 'ü✓'.repeat(40), email: 'someone@example.com', tags: Array.from({ length: 20 }, String) };
    const task = newTask({ args });
    await store.add([task]);
    const redis = new Redis(REDIS_URL);
    const encoding = () => redis.object('ENCODING', `{${stores.namespace}}:t:${task.id}`);
    try {
      expect(await encoding()).toBe('listpack');
      const [claimed] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
      expect(claimed!.args).toEqual(args);
      const error = {
        name: 'Error',
        message: 'é'.repeat(100),
        stack: `Error: x\n${'    at f (file.js:1:1)\n'.repeat(20)}`,
      };
      await store.fail({ taskId: task.id, token: claimed!.leaseToken! }, error, 0);
      expect(await encoding()).toBe('listpack');
      expect((await store.get(task.id))!.lastError).toEqual(error);
      // A shorter error replaces the longer one whole (no pieces of it left behind).
      const [again] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
      expect(again!.lastError).toEqual(error);
      await store.fail({ taskId: task.id, token: again!.leaseToken! }, { name: 'Error', message: 'short' }, 0);
      expect((await store.get(task.id))!.lastError).toEqual({ name: 'Error', message: 'short' });
      const [third] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
      const result = { rows: Array.from({ length: 30 }, (_, i) => ({ i, label: `row ${i} ✓` })) };
      await store.complete({ taskId: task.id, token: third!.leaseToken! }, result);
      expect(await encoding()).toBe('listpack');
      const [listed] = await store.list({ status: TaskStatus.Succeeded });
      expect(listed).toMatchObject({ id: task.id, args, result, lastError: { message: 'short' }, attempts: 3 });
    } finally {
      await redis.quit();
    }
  });

  it('refuses a prefix whose keys an older key layout wrote, saying so', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      // What the first layout left: counts, the seq counter and an `all` index, and no layout key.
      await redis.hset(`{${stores.namespace}}:counts`, 'pending', 1);
      await redis.set(`{${stores.namespace}}:seq`, 1);
    } finally {
      await redis.quit();
    }
    const store = new RedisTaskStore({ connection: REDIS_URL, prefix: stores.namespace });
    await stores.expectRefusedStart(store, /key layout 1, this version of nest-task-queue reads layout 3 only/);
  });

  it('refuses a prefix written in layout 2 (one queue per priority, before the ready lanes of deployments)', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(`{${stores.namespace}}:layout`, '2');
      await redis.zadd(`{${stores.namespace}}:prios`, 0, '0');
    } finally {
      await redis.quit();
    }
    const store = new RedisTaskStore({ connection: REDIS_URL, prefix: stores.namespace });
    await stores.expectRefusedStart(store, /key layout 2, this version of nest-task-queue reads layout 3 only/);
  });

  it('records reports given in one tick in one batch, each with its own outcome', async () => {
    const store = await open();
    const tasks = Array.from({ length: 50 }, () => newTask());
    await store.add(tasks);
    const { tasks: claimed } = await store.claim({ workerId: 'w', limit: 50 });
    const outcomes = await Promise.all(
      claimed.map((task, i) =>
        i % 10 === 0
          ? store.complete({ taskId: task.id, token: 'stale' })
          : i % 2
            ? store.complete({ taskId: task.id, token: task.leaseToken! }, i)
            : store.fail({ taskId: task.id, token: task.leaseToken! }, { name: 'Error', message: `${i}` }, null),
      ),
    );
    expect(outcomes).toEqual(claimed.map((_, i) => i % 10 !== 0));
    expect(await store.counts()).toEqual({
      waiting: 0,
      pending: 0,
      running: 5,
      succeeded: 25,
      failed: 20,
      cancelled: 0,
    });
  });

  it('does not count as lost a lease renewed while its report is on its way', async () => {
    const store = await open();
    await store.add([newTask()]);
    const [task] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    const lease = { taskId: task!.id, token: task!.leaseToken! };
    const completed = store.complete(lease);
    await new Promise((resolve) => setImmediate(resolve)); // the report is sent, not yet answered
    expect(await store.renew([lease])).toEqual([]);
    expect(await completed).toBe(true);
    expect(await store.renew([lease])).toEqual([task!.id]);
  });

  it('drops finished tasks older than retention.maxAge', async () => {
    const store = await open({}, { maxAge: 100 });
    const task = newTask();
    await store.add([task]);
    const [claimed] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    await store.complete({ taskId: task.id, token: claimed!.leaseToken! });
    await eventually(
      () => store.counts(),
      (counts) => counts.succeeded === 0,
    );
    expect(await store.get(task.id)).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('tells the backlog from its indexes: delayed tasks and the oldest due one', async () => {
    const store = await open();
    expect(await store.backlog()).toEqual({ delayed: 0, oldestDueAt: undefined });
    const now = Date.now();
    const oldest = newTask({ runAt: now - 500, partitionKey: 'p' });
    await store.add([
      newTask({ runAt: now + 60_000 }),
      newTask({ runAt: now + 60_000, priority: 3 }),
      newTask({ runAt: now - 100 }),
      oldest,
    ]);
    // Behind its partition's head: not counted as delayed.
    await store.add([newTask({ runAt: now + 60_000, partitionKey: 'p' })]);
    expect(await store.backlog()).toEqual({ delayed: 2, oldestDueAt: oldest.runAt });
  });

  it('loads its scripts again when Redis lost them (a restart, SCRIPT FLUSH)', async () => {
    const store = await open();
    await store.add([newTask()]);
    const redis = new Redis(REDIS_URL);
    await redis.script('FLUSH');
    await redis.quit();
    const [task] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
    expect(await store.complete({ taskId: task!.id, token: task!.leaseToken! })).toBe(true);
  });

  it('uses a client you pass (with its keyPrefix) and leaves it open', async () => {
    const client = new Redis(REDIS_URL, { keyPrefix: 'app:' });
    try {
      const store = new RedisTaskStore({ connection: client, prefix: stores.namespace });
      await store.init({ retention: RETENTION, logger });
      const task = newTask();
      await store.add([task]);
      expect((await store.counts()).pending).toBe(1);
      expect(await store.get(task.id)).toMatchObject({ id: task.id, status: TaskStatus.Pending });
      const [claimed] = (await store.claim({ workerId: 'w', limit: 1 })).tasks;
      expect(await store.complete({ taskId: task.id, token: claimed!.leaseToken! })).toBe(true);
      expect(await store.list()).toMatchObject([{ id: task.id, status: TaskStatus.Succeeded }]);
      await store.close();
      expect(client.status).toBe('ready');
      const plain = new Redis(REDIS_URL);
      const keys = await plain.keys(`app:{${stores.namespace}}:*`);
      await plain.del(...keys);
      await plain.quit();
      expect(keys.length).toBeGreaterThan(3);
    } finally {
      await client.quit();
    }
  });

  it('uses the database a URL names (redis://host/5), and refuses one Redis does not have', async () => {
    const store = await open({ connection: `${REDIS_URL}/5` });
    expect(store.describe()).toBe(`Redis at 127.0.0.1:6379 db 5 prefix ${stores.namespace}`);
    const task = newTask();
    await store.add([task]);
    const [db0, db5] = [new Redis(REDIS_URL), new Redis(REDIS_URL, { db: 5 })];
    try {
      const keys = await db5.keys(keysOf(stores.namespace));
      expect(keys.length).toBeGreaterThan(0);
      expect(await db0.keys(keysOf(stores.namespace))).toEqual([]);
      await db5.del(...keys);
    } finally {
      await Promise.all([db0.quit(), db5.quit()]);
    }
    const missing = new RedisTaskStore({ connection: `${REDIS_URL}/99`, prefix: stores.namespace });
    try {
      const init = missing.init({ retention: RETENTION, logger });
      await expect(init).rejects.toBeInstanceOf(InvalidTaskOptionsError);
      await expect(init).rejects.toThrow(
        /^Redis at 127\.0\.0\.1:6379 db 99 refused database 99 .*DB index is out of range/,
      );
    } finally {
      await missing.close(); // Before the fix it started, on database 0.
    }
  });

  it('adds the schedule() calls of one tick in one script call, each all-or-nothing', async () => {
    const store = await open();
    const tasks = Array.from({ length: 5 }, () => newTask());
    const results = await Promise.allSettled([
      store.add([tasks[0]!, tasks[1]!], { maxPending: 3 }),
      store.add([tasks[2]!, tasks[3]!], { maxPending: 3 }),
      store.add([tasks[0]!]),
      store.add([tasks[4]!]),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual([
      [true, true],
      'QueueFullError',
      [false],
      [true],
    ]);
    expect(await store.counts()).toMatchObject({ pending: 3 });
    const claimed = (await store.claim({ workerId: 'w', limit: 10 })).tasks.map((t) => t.id);
    expect(claimed).toEqual([tasks[0]!.id, tasks[1]!.id, tasks[4]!.id]);
  });

  describe('signals between processes', () => {
    describeSignalsBetweenStores(() => open());

    it('wakes another store when a lease it never saw expires', async () => {
      const dead = await open({ leaseTime: 300 });
      const survivor = await open({ leaseTime: 300 });
      const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
      // The survivor claims first (nothing there), then the soon-dead worker adds and takes a task.
      expect((await survivor.claim({ workerId: 'survivor', limit: 1 })).tasks).toHaveLength(0);
      const task = newTask();
      // Listen before the claim: its lease announcement may reach the survivor before the claim's reply reaches
      // us, and a store with no listener arms no lease timer. Not the wake of the add: the one the survivor's
      // lease timer gives when the lease ends.
      let leaseEnds = Infinity;
      const woken = nextSignal(survivor, (s) => s.type === 'wake' && Date.now() >= leaseEnds - 50);
      await dead.add([task]);
      const [lost] = (await dead.claim({ workerId: 'dead', limit: 1 })).tasks;
      leaseEnds = Date.now() + 300;
      await woken;
      const [taken] = (
        await eventually(
          () => survivor.claim({ workerId: 'survivor', limit: 1 }),
          (b) => b.tasks.length === 1,
          10_000,
        )
      ).tasks;
      expect(taken).toMatchObject({ id: task.id, attempts: 2 });
      expect(warn.mock.calls.map(([message]) => String(message))).toContainEqual(
        expect.stringMatching(/^1 task\(s\) whose worker stopped renewing its lease/),
      );
      warn.mockRestore();
      expect(await dead.complete({ taskId: task.id, token: lost!.leaseToken! })).toBe(false);
    });
  });

  describe('when Redis is unreachable', () => {
    it('refuses to start, quickly and saying why', async () => {
      const store = new RedisTaskStore({ connection: { host: '127.0.0.1', port: 1 }, prefix: stores.namespace });
      await stores.expectRefusedStart(store, /127\.0\.0\.1:1.*ECONNREFUSED/);
    });

    it('leaves no timer behind once it refused to start, so the process can exit', async () => {
      // ioredis's disconnect() armed a 2 s timer for a socket that had already closed (issue 15).
      const fixture = resolve(import.meta.dirname, 'fixtures/redis-unreachable-start.mjs');
      const store = builtLibrary('redis').module('stores/redis/index.js');
      const { stdout } = await promisify(execFile)(process.execPath, [fixture, store, '1'], {
        env: { ...process.env, NODE_OPTIONS: '' },
        timeout: 30_000,
      });
      expect(JSON.parse(stdout)).toEqual({ error: StoreUnavailableError.name, timers: [] });
    }, 60_000);

    it('fails operations at once while down, writes nothing, and wakes its workers when back', async () => {
      const proxy = new TcpProxy('127.0.0.1', 6379);
      await proxy.start();
      try {
        const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
        const store = await open({ connection: { host: '127.0.0.1', port: proxy.port, retryStrategy: () => 50 } });
        await store.add([newTask()]);
        await proxy.stop();
        const started = Date.now();
        await expect(store.add([newTask(), newTask()])).rejects.toThrow(StoreUnavailableError);
        await expect(store.claim({ workerId: 'w', limit: 10 })).rejects.toThrow(/unavailable \(claim\)/);
        // At once rather than after ioredis's reconnection attempts (generous for a busy machine).
        expect(Date.now() - started).toBeLessThan(2_000);
        await eventually(
          async () => warn.mock.calls.map(([message]) => String(message)),
          (messages) => messages.some((m) => /unreachable/.test(m)),
        );

        const back = nextSignal(store, (s) => s.type === 'wake' && s.reconnected === true);
        await proxy.start();
        await back;
        expect((await store.counts()).pending).toBe(1);
        await eventually(
          async () =>
            store.add([newTask()]).then(
              () => true,
              () => false,
            ),
          (ok) => ok,
        );
        expect((await store.counts()).pending).toBe(2);
        warn.mockRestore();
      } finally {
        await proxy.stop();
      }
    });
  });
});
