import { jest } from '@jest/globals';
import { InMemoryTaskStore, type NewTask } from '../../lib/index.js';

let seq = 0;
const task = (overrides: Partial<NewTask> = {}): NewTask => ({
  id: `t${++seq}`,
  handler: 'h',
  args: undefined,
  priority: 0,
  runAt: Date.now(),
  createdAt: Date.now(),
  maxRetries: 0,
  ...overrides,
});

describe('InMemoryTaskStore.backlog()', () => {
  it('counts delayed tasks and finds the oldest claimable due task, across priorities', async () => {
    const store = new InMemoryTaskStore();
    const now = Date.now();
    expect(await store.backlog()).toEqual({ delayed: 0, oldestDueAt: undefined });
    await store.add([
      task({ runAt: now - 1_000 }),
      task({ runAt: now - 5_000, priority: -1 }),
      task({ runAt: now + 60_000 }),
      task({ runAt: now + 120_000, priority: 5 }),
    ]);
    expect(await store.backlog()).toEqual({ delayed: 2, oldestDueAt: now - 5_000 });
  });

  it('leaves out tasks waiting behind their partition and tasks already claimed or cancelled', async () => {
    const store = new InMemoryTaskStore();
    const now = Date.now();
    const head = task({ partitionKey: 'p', runAt: now - 3_000 });
    const behind = task({ partitionKey: 'p', runAt: now - 2_000 });
    const free = task({ runAt: now - 1_000 });
    await store.add([head, behind, free]);
    expect((await store.backlog()).oldestDueAt).toBe(now - 3_000);
    await store.claim({ workerId: 'w', limit: 1 }); // the partition's head runs; `behind` waits for it
    expect(await store.backlog()).toEqual({ delayed: 0, oldestDueAt: now - 1_000 });
    await store.cancel(free.id);
    expect(await store.backlog()).toEqual({ delayed: 0, oldestDueAt: undefined });
  });

  it('counts a task as due once its time has come, claimed or not', async () => {
    const now = Date.now();
    jest.useFakeTimers({
      now,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'queueMicrotask',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
      ],
    });
    try {
      const store = new InMemoryTaskStore();
      await store.add([task({ runAt: now + 60_000 })]);
      expect((await store.backlog()).delayed).toBe(1);
      jest.setSystemTime(now + 60_000);
      expect(await store.backlog()).toEqual({ delayed: 0, oldestDueAt: now + 60_000 });
    } finally {
      jest.useRealTimers();
    }
  });
});
