import { createTaskQueue, type ITaskStore, type TaskQueue } from '../../lib/index.js';
import { postgresTarget } from '../postgres/postgres.store-target.js';
import { redisTarget } from '../redis/redis.store-target.js';
import { createStore, describeIfUp, type BaseStoreOptions, type StoreTarget } from '../support/store-target.js';

/** What the worker does on a durable store that the in-memory store cannot show. */

/** A window of real time in which an idle worker should claim next to never (its timers and signals suffice). */
const IDLE_WINDOW_MS = 1_000;
/** Claims allowed in it: a stray wake-up or two, far from a busy loop's hundreds. */
const MAX_IDLE_CLAIMS = 3;

/** Counts a store's claims from now on. */
function countClaims(store: ITaskStore): { readonly count: number; reset(): void } {
  const claim = store.claim.bind(store);
  let count = 0;
  store.claim = (request) => {
    count++;
    return claim(request);
  };
  return {
    get count() {
      return count;
    },
    reset: () => (count = 0),
  };
}

async function describeWorkerOn<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(`A worker on ${target.Store.name}`, () => {
    let namespace = '';
    let queue: TaskQueue | undefined;

    afterEach(async () => {
      await queue?.close();
      queue = undefined;
      await target.dispose(namespace);
    });

    const startQueue = async (store: ITaskStore): Promise<TaskQueue> => {
      queue = createTaskQueue({ store, logger: false });
      return queue;
    };

    it('finishes tasks whose error or result the store cannot keep as they are, and their neighbours', async () => {
      namespace = target.uniqueNamespace('poison');
      const queue = await startQueue(createStore(target, namespace));
      queue.registerHandler('poison-error', { execute: async () => Promise.reject(new Error('bad \u0000 \ud800')) });
      queue.registerHandler('poison-result', { execute: async () => ({ text: 'bad \u0000', big: 1n }) });
      queue.registerHandler('fine', { execute: async (n: number) => n });
      await queue.start();
      const ids = await Promise.all([
        queue.schedule('poison-error', undefined, { maxRetries: 0 }),
        queue.schedule('poison-result'),
        ...[1, 2, 3].map((n) => queue.schedule('fine', n)),
      ]);
      await queue.whenIdle();
      const tasks = await Promise.all(ids.map(async (id) => (await queue.getTask(id))!));
      expect(tasks.map((task) => [task.status, task.attempts, task.result])).toEqual([
        ['failed', 1, undefined],
        ['succeeded', 1, undefined],
        ['succeeded', 1, 1],
        ['succeeded', 1, 2],
        ['succeeded', 1, 3],
      ]);
      expect(tasks[0]!.lastError!.message).toBe('bad \ufffd \ufffd');
    });

    it('claims a handful of times at most while nothing is due for weeks (no busy polling)', async () => {
      namespace = target.uniqueNamespace('idle');
      const store = createStore(target, namespace);
      const claims = countClaims(store);
      const queue = await startQueue(store);
      queue.registerHandler('noop', { execute: async () => 'done' });
      await queue.start();
      const id = await queue.schedule('noop');
      await queue.whenIdle();
      expect((await queue.getTask(id))!.status).toBe('succeeded');
      claims.reset();
      // Due beyond what one Node timer can wait (2^31 - 1 ms, about 24.8 days): a longer one fires at once.
      await queue.schedule('noop', undefined, { delay: 30 * 24 * 3600_000 });
      await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
      expect(claims.count).toBeLessThanOrEqual(MAX_IDLE_CLAIMS);
    });
  });
}

await describeWorkerOn(redisTarget);
await describeWorkerOn(postgresTarget);
