// Helpers of the Redis benchmark: key cleanup and the two contenders set up the same way.
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { TaskQueue } from '../dist/esm/index.js';
import { RedisTaskStore } from '../dist/esm/stores/redis/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADD_CHUNK = 1_000;

/** Deletes every key matching a pattern (SCAN, never KEYS). */
export async function deleteKeys(pattern) {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

/**
 * CPU time the Redis server and this process spent between two marks, ms: steadier than wall time on a busy
 * machine (the Redis figure includes any other client of the same server).
 */
export async function cpuMark() {
  const redis = new Redis(REDIS_URL);
  const info = await redis.info('cpu');
  await redis.quit();
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)[1]) * 1000;
  const usage = process.cpuUsage();
  return { redis: field('used_cpu_user') + field('used_cpu_sys'), client: (usage.user + usage.system) / 1000 };
}

/** Calls `add(i)` for i < count, at most ADD_CHUNK in flight (single adds) or one call per chunk (bulk). */
export async function addAll(count, bulk, addOne, addMany) {
  for (let from = 0; from < count; from += ADD_CHUNK) {
    const to = Math.min(count, from + ADD_CHUNK);
    if (bulk) await addMany(from, to);
    else {
      const pending = [];
      for (let i = from; i < to; i++) pending.push(addOne(i));
      await Promise.all(pending);
    }
  }
}

/** nest-task-queue on a RedisTaskStore with its own prefix; `handler(args)` runs each task. */
export async function openOurs({ concurrency, handler }) {
  const prefix = `ntq-bench-${randomUUID().slice(0, 8)}`;
  const queue = new TaskQueue({
    store: new RedisTaskStore({ connection: REDIS_URL, prefix }),
    concurrency,
    logger: 'warn',
  });
  queue.registerHandler('job', { execute: handler });
  await queue.start();
  return {
    addOne: (args, runAt) => queue.schedule('job', args, runAt === undefined ? undefined : { runAt: new Date(runAt) }),
    addMany: (items) =>
      queue.scheduleMany(
        items.map(({ args, runAt }) => ({
          handler: 'job',
          args,
          options: runAt === undefined ? undefined : { runAt: new Date(runAt) },
        })),
      ),
    close: async () => {
      await queue.close();
      await deleteKeys(`{${prefix}}:*`);
    },
  };
}

/** BullMQ: a Queue and a Worker on one queue name, removeOnComplete; `handler(args)` runs each job. */
export async function openBullmq({ concurrency, handler, onCompleted }) {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  // BullMQ leaves the connections you pass open: close() quits both, or the bench never exits.
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
  const worker = new Worker(name, async (job) => handler(job.data), { connection: workerConnection, concurrency });
  worker.on('completed', onCompleted);
  await worker.waitUntilReady();
  return {
    addOne: (args, runAt) =>
      queue.add('job', args, runAt === undefined ? undefined : { delay: Math.max(0, runAt - Date.now()) }),
    addMany: (items) =>
      queue.addBulk(
        items.map(({ args, runAt }) => ({
          name: 'job',
          data: args,
          opts: runAt === undefined ? undefined : { delay: Math.max(0, runAt - Date.now()) },
        })),
      ),
    close: async () => {
      await worker.close();
      await workerConnection.quit();
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
      await deleteKeys(`bull:${name}:*`);
    },
  };
}
