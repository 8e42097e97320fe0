// Redis memory per pending delayed task: nest-task-queue's RedisTaskStore vs BullMQ, on the same Redis. Each case
// schedules N tasks due in a day on a fresh prefix (nothing runs) and counts the bytes Redis keeps for them:
// MEMORY USAGE of every key of the prefix (exact: SAMPLES 0), and the INFO used_memory delta (includes anything
// other clients of the same server did meanwhile). Run: npm run bench:redis-memory (builds first).
// BENCH_QUICK=1 for 20,000 tasks instead of 200,000.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TaskQueue } from '../dist/esm/index.js';
import { RedisTaskStore } from '../dist/esm/stores/redis/index.js';
import { printTable, ratio } from './bench-format.mjs';
import { ADD_CHUNK, deleteKeys, REDIS_URL } from './redis-bench-support.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const N = process.env.BENCH_QUICK === '1' ? 20_000 : 200_000;
const DAY = 24 * 3600_000;

/** What a caller typically sends: a few ids and strings (about 150 bytes of JSON). */
const realisticArgs = (i) => ({
  userId: randomUUID(),
  email: `user${i}@example.com`,
  template: 'welcome-email',
  locale: 'en-GB',
  attempt: { source: 'signup', at: '2026-01-01T00:00:00.000Z' },
});

const CASES = [
  { name: 'tiny args', args: () => ({ n: 1 }) },
  { name: 'realistic args', args: realisticArgs },
  { name: 'tiny args, 1,000 partitions', args: () => ({ n: 1 }), partitions: 1_000 },
];

async function usedMemory(redis) {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)[1]);
}

/** Sum of MEMORY USAGE over every key matching the pattern. */
async function keyBytes(redis, pattern) {
  let cursor = '0';
  let total = 0;
  let keys = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (found.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of found) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    for (const [, bytes] of await pipeline.exec()) total += Number(bytes ?? 0);
    keys += found.length;
  } while (cursor !== '0');
  return { total, keys };
}

/** Schedules N tasks with `add(from, to)` in chunks and measures what they cost. */
async function measure(redis, pattern, add) {
  const before = await usedMemory(redis);
  for (let from = 0; from < N; from += ADD_CHUNK) await add(from, Math.min(N, from + ADD_CHUNK));
  const after = await usedMemory(redis);
  const { total, keys } = await keyBytes(redis, pattern);
  return { perTask: total / N, usedPerTask: (after - before) / N, keys };
}

async function ours(redis, { args, partitions }) {
  const prefix = `ntq-mem-${randomUUID().slice(0, 8)}`;
  const pattern = `{${prefix}}:*`;
  const queue = new TaskQueue({ store: new RedisTaskStore({ connection: REDIS_URL, prefix }), logger: 'warn' });
  queue.registerHandler('job', { execute: () => undefined });
  await queue.start();
  try {
    const runAt = new Date(Date.now() + DAY);
    return await measure(redis, pattern, (from, to) =>
      queue.scheduleMany(
        Array.from({ length: to - from }, (_, k) => ({
          handler: 'job',
          args: args(from + k),
          options: partitions ? { runAt, partitionKey: `p${(from + k) % partitions}` } : { runAt },
        })),
      ),
    );
  } finally {
    await queue.close();
    await deleteKeys(pattern);
  }
}

/** BullMQ's closest equivalent: delayed jobs (a partition is a BullMQ Pro group, so that case is ours only). */
async function bullmq(redis, { args, partitions }) {
  if (partitions) return undefined;
  const name = `mem-${randomUUID().slice(0, 8)}`;
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection });
  try {
    return await measure(redis, `bull:${name}:*`, (from, to) =>
      queue.addBulk(
        Array.from({ length: to - from }, (_, k) => ({ name: 'job', data: args(from + k), opts: { delay: DAY } })),
      ),
    );
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    await deleteKeys(`bull:${name}:*`);
  }
}

const redis = new Redis(REDIS_URL);
const server = (await redis.info('server')).match(/redis_version:(\S+)/)[1];
const listpack = await redis.config('GET', 'hash-max-listpack-value');
const rows = [];
for (const c of CASES) {
  const a = await ours(redis, c);
  const b = await bullmq(redis, c);
  rows.push([
    c.name,
    Math.round(a.perTask),
    b ? Math.round(b.perTask) : '-',
    b ? ratio(a.perTask, b.perTask) : '-',
    `${Math.round(a.usedPerTask)} / ${b ? Math.round(b.usedPerTask) : '-'}`,
    `${a.keys.toLocaleString('en')} / ${b ? b.keys.toLocaleString('en') : '-'}`,
  ]);
}
await redis.quit();
printTable(
  `Redis bytes per pending delayed task, ${N.toLocaleString('en')} tasks (Redis ${server}, ${listpack.join(' ')}; ` +
    'ratio: ours / BullMQ, lower is better)',
  ['case', 'ours B', 'BullMQ B', 'ratio', 'used_memory delta B', 'keys'],
  rows,
);
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('redis-memory.bench.mjs');
