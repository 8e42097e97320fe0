// Claim cost against a capped handler's backlog (issue 10): handler A is at its globalConcurrency with BACKLOG due
// tasks waiting, and a worker running A and B claims and completes B's tasks. Its claims must cost the same as
// with no backlog behind A. The store contract directly, without the engine: one claim at a time. Run: npm run bench:claims (builds first); BENCH_QUICK=1 for a 100,000-task backlog. Stores are
// STORES entries (a PostgreSQL one may join: open(label) returns a started store and a dispose function).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { percentiles, printTable } from './bench-format.mjs';
import { deleteKeys, REDIS_URL } from './redis-bench-support.mjs';
import { RedisTaskStore } from '../dist/esm/stores/redis/index.js';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const BACKLOG = quick ? 100_000 : 1_000_000;
const B_TASKS = quick ? 5_000 : 20_000;
const CLAIM_LIMIT = 10;
const A_CAP = 10;
const ADD_CHUNK = 5_000;
const RETENTION = { maxCount: 10_000, maxAge: 60 * 60 * 1000 };
const logger = { log() {}, warn: console.warn, error: console.error };

/** Script time Redis itself measured, us (INFO commandstats): steadier than wall time on a busy machine. */
async function redisScriptUs() {
  const redis = new Redis(REDIS_URL);
  const info = await redis.info('commandstats');
  await redis.quit();
  let us = 0;
  for (const match of info.matchAll(/cmdstat_(?:evalsha|eval):calls=\d+,usec=(\d+)/g)) us += Number(match[1]);
  return us;
}

export const STORES = [
  {
    name: 'Redis',
    async open(label) {
      const prefix = `ntq-bench-claims-${label}-${randomUUID().slice(0, 8)}`;
      const store = new RedisTaskStore({ connection: REDIS_URL, prefix });
      await store.init({ retention: RETENTION, logger });
      return { store, dispose: () => deleteKeys(`{${prefix}}:*`) };
    },
    /** The server's own time for the store's work between two marks (the server may have other clients). */
    serverUs: redisScriptUs,
  },
];

const task = (handler, now) => ({
  id: randomUUID(),
  handler,
  args: {},
  priority: 0,
  runAt: now,
  createdAt: now,
  maxRetries: 0,
});

async function addMany(store, handler, count) {
  for (let from = 0; from < count; from += ADD_CHUNK) {
    const now = Date.now();
    await store.add(Array.from({ length: Math.min(ADD_CHUNK, count - from) }, () => task(handler, now)));
  }
}

const handlers = { A: { globalConcurrency: A_CAP }, B: {} };

/** Claims B's tasks (B has no limit: they stay running) until none is left; per-claim ms and claims/s. */
async function drainB(store, serverUs) {
  const times = [];
  let done = 0;
  const serverStart = await serverUs?.();
  const started = performance.now();
  while (done < B_TASKS) {
    const at = performance.now();
    const { tasks } = await store.claim({ workerId: 'bench', limit: CLAIM_LIMIT, handlers });
    times.push(performance.now() - at);
    if (tasks.some((t) => t.handler !== 'B')) throw new Error('claimed a task of the capped handler A');
    if (tasks.length === 0) throw new Error(`no B task left after ${done}`);
    done += tasks.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const serverPerClaim = serverUs === undefined ? undefined : ((await serverUs()) - serverStart) / times.length;
  const rounded = times.map((ms) => Math.round(ms * 100) / 100);
  return { ...percentiles(rounded), perSecond: times.length / seconds, serverPerClaim };
}

async function scenario(target, backlog) {
  const { store, dispose } = await target.open(backlog > 0 ? 'backlog' : 'empty');
  try {
    const addStarted = performance.now();
    await addMany(store, 'A', backlog + A_CAP);
    const addSeconds = (performance.now() - addStarted) / 1000;
    // A at its cap: A_CAP of its tasks running, the rest due behind them.
    const held = await store.claim({ workerId: 'bench', limit: A_CAP, handlers: { A: { globalConcurrency: A_CAP } } });
    if (held.tasks.length !== A_CAP) throw new Error(`A holds ${held.tasks.length} slots, not ${A_CAP}`);
    await addMany(store, 'B', B_TASKS);
    return { ...(await drainB(store, target.serverUs)), addSeconds };
  } finally {
    await store.close();
    await dispose();
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en');

console.log(`node ${process.version}, Redis at ${REDIS_URL}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`);
const rows = [];
for (const target of STORES) {
  // Warm-up: script caches, connections.
  await scenario(target, 0);
  for (const backlog of [0, BACKLOG]) {
    const r = await scenario(target, backlog);
    const server = r.serverPerClaim === undefined ? '' : fmt(r.serverPerClaim);
    rows.push([target.name, backlog.toLocaleString('en'), fmt(r.perSecond), r.p50, r.p99, r.max, server]);
  }
}
printTable(
  `Claims of handler B (limit ${CLAIM_LIMIT}) while handler A is at its globalConcurrency (${A_CAP}) with a due backlog; ${B_TASKS.toLocaleString('en')} B tasks`,
  ['store', 'A backlog', 'claims/s', 'claim p50 ms', 'p99 ms', 'max ms', 'server us/claim'],
  rows,
);
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('claims.bench.mjs');
