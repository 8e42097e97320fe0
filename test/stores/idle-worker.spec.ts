import { createTaskQueue, type ITaskStore, type TaskQueue } from '../../lib/index.js';
import { postgresTarget } from '../postgres/postgres.store-target.js';
import { redisTarget } from '../redis/redis.store-target.js';
import { createStore, describeIfUp, type BaseStoreOptions, type StoreTarget } from '../support/store-target.js';

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

async function describeIdleWorkerOn<S extends ITaskStore, O extends BaseStoreOptions>(target: StoreTarget<S, O>): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(`An idle worker on ${target.Store.name}`, () => {
    let namespace = '';
    let queue: TaskQueue | undefined;

    afterEach(async () => {
      await queue?.close();
      queue = undefined;
      await target.dispose(namespace);
    });

    it('claims a handful of times at most while nothing is due (no busy polling)', async () => {
      namespace = target.uniqueNamespace('idle');
      const store = createStore(target, namespace);
      const claims = countClaims(store);
      queue = createTaskQueue({ store, logger: false });
      queue.registerHandler('noop', { execute: async () => 'done' });
      await queue.start();
      const id = await queue.schedule('noop');
      await queue.whenIdle();
      expect((await queue.getTask(id))!.status).toBe('succeeded');
      claims.reset();
      await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
      expect(claims.count).toBeLessThanOrEqual(MAX_IDLE_CLAIMS);
    });
  });
}

await describeIdleWorkerOn(redisTarget);
await describeIdleWorkerOn(postgresTarget);
