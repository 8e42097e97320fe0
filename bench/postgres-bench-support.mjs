// Helpers of the PostgreSQL benchmark: the three contenders set up the same way, each in its own schema of
// one database (dropped before and after), and a fast way to give each 1,000,000 delayed rows.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { TaskQueue } from '../dist/esm/index.js';
import { PostgresTaskStore } from '../dist/esm/stores/postgres/index.js';

// The newest peers that run on this Node: pg-boss 12 and graphile-worker 0.18 need Node 22 (their aliases in
// package.json), pg-boss 10 and graphile-worker 0.17 run on 20.
const modernNode = Number(process.versions.node.split('.')[0]) >= 22;
const PG_BOSS = modernNode ? 'pg-boss-12' : 'pg-boss';
const GRAPHILE = modernNode ? 'graphile-worker-018' : 'graphile-worker';
const pgBossModule = await import(PG_BOSS);
const PgBoss = pgBossModule.PgBoss ?? pgBossModule.default;
const { Logger: GraphileLogger, makeWorkerUtils, run: runGraphile } = await import(GRAPHILE);
const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
/** The peers' versions, for the output. */
export const PEERS = `pg-boss ${versionOf(PG_BOSS)}, graphile-worker ${versionOf(GRAPHILE)}`;

export const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** BENCH_SCHEMA_PREFIX keeps runs of several checkouts on one database apart. */
const PREFIX = process.env.BENCH_SCHEMA_PREFIX ?? 'bench';
export const SCHEMAS = { ours: `${PREFIX}_ntq`, pgboss: `${PREFIX}_pgboss`, graphile: `${PREFIX}_graphile` };
const QUEUE = 'bench';
const silent = {
  log: () => undefined,
  warn: () => undefined,
  error: (...args) => console.error(...args),
  debug: () => undefined,
};

export async function sql(text, values) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

export const dropSchema = (schema) => sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);

/** nest-task-queue: the engine (TaskQueue, no Nest) on a PostgresTaskStore; `handler(args)` runs each task. */
export async function openOurs({ concurrency, handler, worker = true, fresh = true }) {
  if (fresh) await dropSchema(SCHEMAS.ours);
  const store = new PostgresTaskStore({ connectionString: POSTGRES_URL, schema: SCHEMAS.ours });
  const queue = new TaskQueue({ store, concurrency, logger: 'warn', autoStart: worker });
  queue.registerHandler('job', { execute: handler });
  await queue.start();
  const options = (runAt) => (runAt === undefined ? undefined : { runAt: new Date(runAt) });
  return {
    store,
    addOne: (args, runAt) => queue.schedule('job', args, options(runAt)),
    addMany: (items) =>
      queue.scheduleMany(items.map(({ args, runAt }) => ({ handler: 'job', args, options: options(runAt) }))),
    /** One claim of at most one task, as a worker makes it (the store call, no engine around it). */
    claimOne: async () => (await store.claim({ workerId: 'bench', limit: 1 })).tasks[0],
    complete: (task) => store.complete({ taskId: task.id, token: task.leaseToken }),
    close: async () => {
      await queue.close();
      if (fresh) await dropSchema(SCHEMAS.ours);
    },
  };
}

/**
 * pg-boss (10 on Node 20, 12 on Node 22+). Its work() loop waits out the polling interval (0.5 s at least) after every fetch, which caps a
 * worker at batchSize jobs per 0.5 s; so we drive its fetch() and complete() in a tight loop instead, the
 * fastest way to run pg-boss we know: up to `concurrency` jobs fetched per call (its SKIP LOCKED batch fetch),
 * run at once, and completed with one call per batch without waiting for it, as work() does (at most 4
 * completions on their way). Idle, it polls every 50 ms.
 */
export async function openPgBoss({ concurrency, handler, worker = true }) {
  await dropSchema(SCHEMAS.pgboss);
  const boss = new PgBoss({
    connectionString: POSTGRES_URL,
    schema: SCHEMAS.pgboss,
    max: 10,
    supervise: false,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error) => console.error('pg-boss:', error.message));
  await boss.start();
  await boss.createQueue(QUEUE);
  let running = worker;
  const completing = new Set();
  const loop = worker
    ? (async () => {
        while (running) {
          const jobs = await boss.fetch(QUEUE, { batchSize: concurrency });
          if (jobs === null || jobs.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          await Promise.all(jobs.map(async (job) => handler(job.data)));
          const completed = boss
            .complete(
              QUEUE,
              jobs.map((job) => job.id),
            )
            .finally(() => completing.delete(completed));
          completing.add(completed);
          if (completing.size >= 4) await Promise.race(completing);
        }
        await Promise.all(completing);
      })()
    : undefined;
  const options = (runAt) => (runAt === undefined ? undefined : { startAfter: new Date(runAt) });
  return {
    addOne: (args, runAt) => boss.send(QUEUE, args, options(runAt)),
    // pg-boss 10 takes the queue's name in each job; 11 and later as the first argument.
    addMany: (items) =>
      modernNode
        ? boss.insert(
            QUEUE,
            items.map(({ args, runAt }) => ({ data: args, ...options(runAt) })),
          )
        : boss.insert(items.map(({ args, runAt }) => ({ name: QUEUE, data: args, ...options(runAt) }))),
    claimOne: async () => (await boss.fetch(QUEUE, { batchSize: 1 }))?.[0],
    complete: (job) => boss.complete(QUEUE, job.id),
    close: async () => {
      running = false;
      await loop;
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
      await dropSchema(SCHEMAS.pgboss);
    },
  };
}

/** graphile-worker (0.17 on Node 20, 0.18 on Node 22+) with its defaults (one job per fetch, one completion per job), LISTEN/NOTIFY. */
export async function openGraphile({ concurrency, handler, worker = true }) {
  await dropSchema(SCHEMAS.graphile);
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: Math.min(20, concurrency + 2) });
  pool.on('error', (error) => console.error('graphile-worker pool:', error.message));
  pool.on('connect', (client) =>
    client.on('error', (error) => console.error('graphile-worker client:', error.message)),
  );
  const utils = await makeWorkerUtils({ pgPool: pool, schema: SCHEMAS.graphile, logger: graphileLogger() });
  await utils.migrate();
  const runner = worker
    ? await runGraphile({
        pgPool: pool,
        schema: SCHEMAS.graphile,
        concurrency,
        noHandleSignals: true,
        pollInterval: 2_000,
        logger: graphileLogger(),
        taskList: { job: async (payload) => handler(payload) },
      })
    : undefined;
  const spec = (args, runAt) => ({
    identifier: 'job',
    payload: args,
    runAt: runAt === undefined ? undefined : new Date(runAt),
  });
  return {
    addOne: (args, runAt) => utils.addJob('job', args, runAt === undefined ? undefined : { runAt: new Date(runAt) }),
    addMany: (items) => utils.addJobs(items.map(({ args, runAt }) => spec(args, runAt))),
    close: async () => {
      await runner?.stop();
      await utils.release();
      await pool.end();
      await dropSchema(SCHEMAS.graphile);
    },
  };
}

function graphileLogger() {
  return new GraphileLogger(() => (level, message) => {
    if (level === 'error') silent.error('graphile-worker:', message);
  });
}

export const OPENERS = { ours: openOurs, pgboss: openPgBoss, graphile: openGraphile };
export const NAMES = { ours: 'nest-task-queue', pgboss: 'pg-boss', graphile: 'graphile-worker' };
