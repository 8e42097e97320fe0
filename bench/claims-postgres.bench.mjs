// Per-handler claims on PostgreSQL (issue 10): how long a claim of handler B takes while handler A, held back
// (at its globalConcurrency cap, its rate window full, or paused), has BACKLOG due tasks, against the same claim
// with no backlog. The store's claim call, no engine around it. A plain claim (no `handlers`) is the baseline.
// Run: node scripts/build.mjs && node bench/claims-postgres.bench.mjs (BENCH_QUICK=1: 100,000 rows).
import { percentiles, printTable, ratio } from './bench-format.mjs';
import { POSTGRES_URL, dropSchema, sql } from './postgres-bench-support.mjs';
import { PostgresTaskStore } from '../dist/esm/stores/postgres/index.js';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const BACKLOG = quick ? 100_000 : 1_000_000;
const SAMPLES = quick ? 300 : 1_000;
const SCHEMA = `${process.env.BENCH_SCHEMA_PREFIX ?? 'bench'}_claims`;
const silent = { log: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined };
const progress = (message) => process.stderr.write(`${message}\n`);
const ms = (n) => n.toFixed(2);

/** How A is held back; `prepare` puts it there (after its backlog is in), `handlers` is what B's worker asks. */
const HOLDS = {
  'at its globalConcurrency cap': {
    handlers: { a: { globalConcurrency: 1 }, b: {} },
    prepare: (store) => store.claim({ workerId: 'a', limit: 1, handlers: { a: {} } }),
  },
  'rate window full': {
    handlers: { a: { rateLimit: { limit: 1, interval: 3_600_000 } }, b: {} },
    prepare: (store) =>
      store.claim({ workerId: 'a', limit: 1, handlers: { a: { rateLimit: { limit: 1, interval: 3_600_000 } } } }),
  },
  paused: { handlers: { a: {}, b: {} }, prepare: (store) => store.setPaused('a', true) },
};

async function openStore() {
  await dropSchema(SCHEMA);
  // Long leases: A's running task must hold its slot for the whole run.
  const store = new PostgresTaskStore({ connectionString: POSTGRES_URL, schema: SCHEMA, leaseTime: 3_600_000 });
  await store.init({ retention: { maxCount: 1e9, maxAge: 1e12 }, logger: silent });
  return store;
}

/** A's due tasks, straight into the table (add() would take minutes for a million). */
async function fillBacklog() {
  const started = performance.now();
  await sql(
    `INSERT INTO "${SCHEMA}".tasks (id, handler, run_at, created_at)
     SELECT 'a-' || i, 'a', now() - interval '1 hour' + i * interval '1 microsecond', now() FROM generate_series(1, $1) AS i`,
    [BACKLOG],
  );
  await sql(`ANALYZE "${SCHEMA}".tasks`);
  return (performance.now() - started) / 1000;
}

/** SAMPLES claims of one B task each (timed), each B task added and completed around it (not timed). */
async function claimsOfB(store, request) {
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    await store.add([
      { id: `b-${i}`, handler: 'b', args: null, priority: 0, runAt: Date.now(), createdAt: Date.now(), maxRetries: 0 },
    ]);
    const started = performance.now();
    const { tasks } = await store.claim({ workerId: 'b', limit: 1, ...request });
    times.push(performance.now() - started);
    if (tasks.length !== 1 || tasks[0].handler !== 'b') throw new Error(`claimed ${JSON.stringify(tasks)}`);
    await store.complete({ taskId: tasks[0].id, token: tasks[0].leaseToken });
  }
  return percentiles(times);
}

async function main() {
  const rows = [];
  {
    const store = await openStore();
    const plain = await claimsOfB(store, {});
    rows.push(['plain claim (no handlers), no backlog', '', ms(plain.p50), ms(plain.p99), '']);
    const own = await claimsOfB(store, { handlers: { b: {} } });
    rows.push(['handlers { b: {} }, no backlog', '', ms(own.p50), ms(own.p99), ratio(own.p50, plain.p50)]);
    await store.close();
  }
  for (const [hold, { handlers, prepare }] of Object.entries(HOLDS)) {
    let store = await openStore();
    const without = await claimsOfB(store, { handlers });
    await store.close();
    store = await openStore();
    const fill = await fillBacklog();
    await prepare(store);
    const withBacklog = await claimsOfB(store, { handlers });
    await store.close();
    progress(`${hold}: ${ms(without.p50)} ms without, ${ms(withBacklog.p50)} ms with (filled in ${fill.toFixed(1)} s)`);
    rows.push([`A ${hold}, no backlog`, '', ms(without.p50), ms(without.p99), '']);
    rows.push([
      `A ${hold}, ${BACKLOG.toLocaleString('en')} due`,
      fill.toFixed(1),
      ms(withBacklog.p50),
      ms(withBacklog.p99),
      ratio(withBacklog.p50, without.p50),
    ]);
  }
  await dropSchema(SCHEMA);
  printTable(
    `Claims of handler B (one task each, ${SAMPLES} samples) while handler A is held back, ms (lower is better)`,
    ['', 'fill s', 'p50', 'p99', 'p50 vs none'],
    rows,
  );
}

await main();
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('claims-postgres.bench.mjs');
