import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisTaskStore } from '../../lib/stores/redis/redis-task.store.js';
import type { RunRecord, StoreTarget } from '../support/store-target.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type RedisStoreOptions = ConstructorParameters<typeof RedisTaskStore>[0];

/** A SCAN pattern for every key of a queue: they all start with its hash tag, `{prefix}:`. */
export function keysOf(prefix: string): string {
  return `{${prefix.replace(/[*?[\]\\]/g, '\\$&')}}:*`;
}

/** The keys the run recorder writes (the child side is fixtures/redis-run-recorder.mjs). */
const recordKey = (prefix: string, name: string) => `{${prefix}}:test:${name}`;

async function withRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL);
  try {
    return await work(redis);
  } finally {
    await redis.quit();
  }
}

export const redisTarget: StoreTarget<RedisTaskStore, RedisStoreOptions> = {
  service: 'Redis',
  id: 'redis',
  url: REDIS_URL,
  Store: RedisTaskStore,
  module: 'stores/redis/redis-task.store.js',
  options: (prefix) => ({ connection: REDIS_URL, prefix }),

  async probe() {
    const options = { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 };
    const redis = new Redis(REDIS_URL, options);
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  },

  uniqueNamespace: (label = 'test') => `ntq-${label}-${randomUUID().slice(0, 8)}`,

  dispose: (prefix) =>
    withRedis(async (redis) => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', keysOf(prefix), 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }),

  recorder: {
    module: new URL('fixtures/redis-run-recorder.mjs', import.meta.url).href,
    prepare: async () => undefined,
    read: (prefix) =>
      withRedis(async (redis): Promise<RunRecord> => {
        const overlaps = await redis.lrange(recordKey(prefix, 'overlaps'), 0, -1);
        const runs = (await redis.lrange(recordKey(prefix, 'runs'), 0, -1)).map((entry) => {
          const [partition, seq, pid] = entry.split(':').map(Number);
          return { partition: partition!, seq: seq!, pid: pid! };
        });
        return { overlaps, runs };
      }),
  },
};
