import { jest } from '@jest/globals';
import { InMemoryTaskStore } from '../lib/index.js';
import { InMemoryMessages } from '../lib/stores/in-memory/in-memory.messages.js';
import { describeStoreConformance } from './support/store-conformance.js';

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
