import { jest } from '@jest/globals';
import {
  createTaskQueue,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  TaskArgsNotSerializableError,
  type TaskQueue,
} from '../lib/index.js';
import { InMemoryMessages } from '../lib/stores/in-memory/in-memory.messages.js';
import { describeStoreConformance, newTask } from './support/store-conformance.js';

describeStoreConformance('InMemoryTaskStore', async ({ leaseTime }) => ({
  store: new InMemoryTaskStore({ leaseTime }),
  dispose: async () => {},
}));

describe('InMemoryTaskStore.close()', () => {
  const task = (id: string) => {
    const now = Date.now();
    return { id, handler: 'h', args: undefined, priority: 0, runAt: now + 60_000, createdAt: now, maxRetries: 0 };
  };
  const logger = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() });

  it('warns, through the logger init() gave it, how many pending tasks it drops', async () => {
    const store = new InMemoryTaskStore();
    const log = logger();
    await store.init({ retention: { maxCount: 10, maxAge: 60_000 }, logger: log });
    await store.add([task('a'), task('b')]);
    await store.close();
    expect(log.warn).toHaveBeenCalledWith(InMemoryMessages.droppingPending(2));
  });

  it('says nothing when nothing is pending', async () => {
    const store = new InMemoryTaskStore();
    const log = logger();
    await store.init({ retention: { maxCount: 10, maxAge: 60_000 }, logger: log });
    await store.close();
    expect(log.warn).not.toHaveBeenCalled();
  });
});

describeStoreConformance("InMemoryTaskStore (serialization: 'json')", async ({ leaseTime }) => ({
  store: new InMemoryTaskStore({ leaseTime, serialization: 'json' }),
  dispose: async () => {},
}));

describe('InMemoryTaskStore keeps a copy of args and metadata (serialization: structured, the default)', () => {
  let queue: TaskQueue | undefined;
  const got: { args: unknown; metadata: unknown }[] = [];
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
    got.length = 0;
  });
  const start = async () => {
    queue = createTaskQueue({ logger: false });
    queue.registerHandler('keep', {
      execute: async (args: unknown, ctx) => void got.push({ args, metadata: ctx.metadata }),
    });
    await queue.start();
    return queue;
  };

  it("the caller's changes after schedule() do not reach the task", async () => {
    const q = await start();
    const args = { list: [1], nested: { a: 1 } };
    const metadata = { tenant: 't1' };
    const scheduled = q.schedule('keep', args, { metadata });
    args.list.push(2);
    args.nested.a = 2;
    metadata.tenant = 't2';
    const id = await scheduled;
    await q.whenIdle();
    expect(got).toEqual([{ args: { list: [1], nested: { a: 1 } }, metadata: { tenant: 't1' } }]);
    expect(await q.getTask(id)).toMatchObject({ args: { list: [1], nested: { a: 1 } }, metadata: { tenant: 't1' } });
  });

  it('what structuredClone keeps survives: Date, Map, Set, BigInt, cycles; class instances arrive as plain objects', async () => {
    const q = await start();
    class Point {
      constructor(readonly x: number) {}
    }
    const args: Record<string, unknown> = {
      at: new Date(0),
      map: new Map([[1, 'a']]),
      set: new Set([2]),
      big: 1n,
      point: new Point(3),
    };
    args.self = args;
    await q.schedule('keep', args);
    await q.whenIdle();
    const received = got[0]!.args as Record<string, unknown>;
    expect(received).not.toBe(args);
    expect(received.at).toEqual(new Date(0));
    expect(received.map).toEqual(new Map([[1, 'a']]));
    expect(received.set).toEqual(new Set([2]));
    expect(received.big).toBe(1n);
    expect(received.self).toBe(received);
    expect(received.point).toEqual({ x: 3 });
    expect(received.point).not.toBeInstanceOf(Point);
  });

  it('refuses what it cannot copy (a function, nesting too deep to clone) with TaskArgsNotSerializableError', async () => {
    const q = await start();
    await expect(q.schedule('keep', { callback: () => 1 })).rejects.toThrow(TaskArgsNotSerializableError);
    await expect(q.schedule('keep', {}, { metadata: { callback: () => 1 } })).rejects.toThrow(
      /metadata cannot be copied by the in-memory store/,
    );
    let deep: object = {};
    for (let i = 0; i < 10_000; i++) deep = [deep];
    await expect(q.schedule('keep', deep)).rejects.toThrow(TaskArgsNotSerializableError);
    expect((await q.counts()).pending).toBe(0);
  });

  it("refuses a serialization other than 'structured' or 'json'", () => {
    expect(() => new InMemoryTaskStore({ serialization: 'xml' as 'json' })).toThrow(
      new InvalidTaskOptionsError("Expected `serialization` to be 'structured' or 'json', got `\"xml\"`"),
    );
  });
});

describe('InMemoryTaskStore wake-ups', () => {
  it('counts a wake-up from when it signals, however long a large add took', async () => {
    const store = new InMemoryTaskStore();
    await store.init({ retention: { maxCount: 10, maxAge: 60_000 }, logger: { log() {}, warn() {}, error() {} } });
    const due = Date.now() + 1_000;
    const tasks = Array.from({ length: 50 }, (_, i) => newTask({ runAt: due + i }));
    // An add of many tasks that takes 100 ms: the clock reads 100 ms more after the add's first look at it.
    const start = Date.now();
    let reads = 0;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => (reads++ === 0 ? start : start + 100));
    const wakes: { at: number; inMs: number | undefined }[] = [];
    store.subscribe((signal) => {
      if (signal.type === 'wake') wakes.push({ at: Date.now(), inMs: signal.inMs });
    });
    try {
      await store.add(tasks);
    } finally {
      now.mockRestore();
    }
    // The worker arms its timer when the signal comes: armed then, it must fire by the first task's due time.
    expect(wakes).toHaveLength(1);
    expect(wakes[0]!.at + (wakes[0]!.inMs ?? 0)).toBeLessThanOrEqual(due);
    await store.close();
  });
});

describe('InMemoryTaskStore reuses what a forgotten task held for its run', () => {
  const silent = { log() {}, warn() {}, error() {} };
  const claimOne = async (store: InMemoryTaskStore) => (await store.claim({ workerId: 'w', limit: 1 })).tasks[0]!;

  it('a task retention drops at once (maxCount 0) still answers its cancel with its times', async () => {
    const store = new InMemoryTaskStore();
    await store.init({ retention: { maxCount: 0, maxAge: 60_000 }, logger: silent });
    const task = newTask({ runAt: Date.now() + 60_000 });
    await store.add([task]);
    const cancelled = await store.cancel(task.id);
    expect(cancelled).toMatchObject({ id: task.id, status: 'cancelled', finishedAt: expect.any(Number) });
    expect(await store.get(task.id)).toBeUndefined();
  });

  it('a task claimed after others were forgotten reads its own run only, none of theirs', async () => {
    const store = new InMemoryTaskStore();
    await store.init({ retention: { maxCount: 0, maxAge: 60_000 }, logger: silent });
    const first = newTask();
    await store.add([first]);
    const claimed = await claimOne(store);
    expect(
      await store.fail({ taskId: first.id, token: claimed.leaseToken! }, { name: 'E', message: 'boom' }, null),
    ).toBe(true);
    expect(await store.get(first.id)).toBeUndefined();
    const second = newTask();
    await store.add([second]);
    const running = await claimOne(store);
    expect(running).toMatchObject({ id: second.id, status: 'running', attempts: 1 });
    expect(running.lastError).toBeUndefined();
    expect(running.finishedAt).toBeUndefined();
    expect(running.leaseToken).not.toBe(claimed.leaseToken);
    expect(running.startedAt).toBeGreaterThanOrEqual(second.createdAt);
    await store.init({ retention: { maxCount: 10, maxAge: 60_000 }, logger: silent });
    expect(await store.complete({ taskId: second.id, token: running.leaseToken! }, 'mine')).toBe(true);
    expect(await store.get(second.id)).toMatchObject({ status: 'succeeded', result: 'mine', lastError: undefined });
  });
});
