import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError, TaskStatus } from '../../lib/index.js';
import { RedisTaskStore } from '../../lib/stores/redis/redis-task.store.js';
import { RedisMessages } from '../../lib/stores/redis/redis.messages.js';
import { newTask } from '../support/store-conformance.js';
import { RETENTION, useStoreSpecHarness } from '../support/store-spec-harness.js';
import { describeIfUp } from '../support/store-target.js';
import { REDIS_URL, redisTarget } from './redis.store-target.js';

const describeRedis = await describeIfUp(redisTarget);

/** A Redis client you own, in a given state, as the store receives it. */
const clients: [string, (options: RedisOptions) => Promise<Redis>][] = [
  ['lazy (wait)', async (options) => new Redis(REDIS_URL, { ...options, lazyConnect: true })],
  ['connecting', async (options) => new Redis(REDIS_URL, options)],
  [
    'ready',
    async (options) => {
      const client = new Redis(REDIS_URL, options);
      await new Promise((resolve) => client.once('ready', resolve));
      return client;
    },
  ],
];

describeRedis('RedisTaskStore on a Redis client you pass', () => {
  const stores = useStoreSpecHarness(redisTarget, 'clients');
  const owned: Redis[] = [];

  afterEach(() => {
    for (const client of owned.splice(0)) client.disconnect();
  });

  describe.each(clients)('that is %s', (_state, make) => {
    it.each([
      ['with the offline queue', {}],
      ['without the offline queue', { enableOfflineQueue: false }],
    ])('starts %s, runs tasks and leaves the client open', async (_queue, options) => {
      const client = await make(options);
      owned.push(client);
      const store = await stores.open({ connection: client });
      const task = newTask();
      await store.add([task]);
      expect(await store.get(task.id)).toMatchObject({ status: TaskStatus.Pending });
      await store.close();
      expect(client.status).toBe('ready');
    });
  });

  it('refuses a client that was closed, saying so', async () => {
    const client = new Redis(REDIS_URL);
    await client.quit();
    const store = new RedisTaskStore({ connection: client, prefix: stores.namespace });
    const init = store.init({ retention: RETENTION, logger: stores.logger });
    await expect(init).rejects.toThrow(StoreUnavailableError);
    await expect(init).rejects.toThrow(RedisMessages.clientClosed());
  });

  it('fails at its first connection error when its server is unreachable, naming the address', async () => {
    // Port 1: nothing listens there. The client would retry for ever; the store's start fails at once.
    // (A short disconnectTimeout: ioredis otherwise keeps a 2 s timer for the socket that never opened.)
    const client = new Redis({ host: '127.0.0.1', port: 1, disconnectTimeout: 10 });
    client.on('error', () => undefined);
    owned.push(client);
    const store = new RedisTaskStore({ connection: client, prefix: stores.namespace });
    await stores.expectRefusedStart(store, /cannot connect to Redis at 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
