// nest-task-queue's PostgresTaskStore vs pg-boss and graphile-worker, side by side in one process run on the
// same PostgreSQL (each in its own schema): end-to-end throughput of no-op tasks, add rates, and claim
// latency with 1,000,000 delayed rows in the table. Our side is the engine (TaskQueue) without Nest.
// Run: npm run bench:postgres (builds first). BENCH_QUICK=1 for a short run (100,000 delayed rows).
import { percentiles, printTable, ratio } from './bench-format.mjs';
import { NAMES, OPENERS, PEERS, POSTGRES_URL } from './postgres-bench-support.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const COUNT = 20_000;
const CONCURRENCIES = [10, 100];
const CHUNK = 1_000;
const SINGLE_SEQUENTIAL = 2_000;
const DELAYED = quick ? 100_000 : 1_000_000;
const SAMPLES = 200;
/** BENCH_SIDES=ours runs our side alone (before/after comparisons). */
const SIDES = (process.env.BENCH_SIDES ?? 'ours,pgboss,graphile').split(',');
/** The machine may be shared: each measurement runs ROUNDS times, the sides taking turns, and the median counts. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
/** BENCH_ONLY=e2e,adds,claims runs some of the tables. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'e2e,adds,claims').split(','));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const progress = (message) => process.stderr.write(`${message}\n`);
const fmt = (n) => (n === undefined ? 'n/a' : Math.round(n).toLocaleString('en'));
const ms = (n) => (n === undefined ? 'n/a' : n.toFixed(2));

/** Tasks/s from the first add (bulk, 1,000 a call) to the last handler call, worker and producer in this process. */
async function endToEnd(side, concurrency) {
  let done = 0;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const open = await OPENERS[side]({ concurrency, handler: () => void (++done === COUNT && finish()) });
  const started = performance.now();
  for (let from = 0; from < COUNT; from += CHUNK)
    await open.addMany(Array.from({ length: CHUNK }, (_, i) => ({ args: { i: from + i } })));
  await finished;
  const elapsed = performance.now() - started;
  await open.close();
  return COUNT / (elapsed / 1000);
}

/** Adds/s with no worker running: one at a time (each awaited), 1,000 at a time in flight, and bulk calls of 1,000. */
async function addRates(side) {
  const open = await OPENERS[side]({ concurrency: 10, handler: () => undefined, worker: false });
  let started = performance.now();
  for (let i = 0; i < SINGLE_SEQUENTIAL; i++) await open.addOne({ i });
  const sequential = SINGLE_SEQUENTIAL / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let from = 0; from < COUNT; from += CHUNK)
    await Promise.all(Array.from({ length: CHUNK }, (_, i) => open.addOne({ i: from + i })));
  const concurrent = COUNT / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let from = 0; from < COUNT; from += CHUNK)
    await open.addMany(Array.from({ length: CHUNK }, (_, i) => ({ args: { i: from + i } })));
  const bulk = COUNT / ((performance.now() - started) / 1000);
  await open.close();
  return { sequential, concurrent, bulk };
}

/**
 * With DELAYED rows due in an hour or more: how long one claim takes when nothing is due, and when one task is
 * due (added, not timed, before each claim): our store's claim call and pg-boss's fetch(). And how long a worker
 * takes to start a task added while it idles (add to handler, woken by LISTEN/NOTIFY): ours and
 * graphile-worker's (which has no public claim call). pg-boss polls (0.5 s at least), so it has no such row.
 */
async function claimLatency(side) {
  let started;
  let picked;
  const pickups = [];
  const probe = (args) => {
    if (!args.probe) return;
    pickups.push(performance.now() - started);
    picked();
  };
  const open = await OPENERS[side]({ concurrency: 1, worker: side === 'graphile', handler: probe });
  const filling = performance.now();
  const later = Date.now() + 3_600_000;
  for (let from = 0; from < DELAYED; from += 10_000) {
    await open.addMany(
      Array.from({ length: Math.min(10_000, DELAYED - from) }, (_, i) => ({
        args: { i: from + i },
        runAt: later + from + i,
      })),
    );
  }
  const fillSeconds = (performance.now() - filling) / 1000;
  const empty = [];
  const due = [];
  if (open.claimOne !== undefined) {
    for (let i = 0; i < SAMPLES; i++) {
      let t = performance.now();
      if ((await open.claimOne()) !== undefined) throw new Error(`${side}: claimed a task that is not due`);
      empty.push(performance.now() - t);
      await open.addOne({ probe: false });
      t = performance.now();
      const task = await open.claimOne();
      due.push(performance.now() - t);
      if (task === undefined) throw new Error(`${side}: claimed nothing though a task was due`);
      await open.complete(task);
    }
  }
  const worker =
    side === 'graphile'
      ? open
      : side === 'ours'
        ? await OPENERS.ours({ concurrency: 1, handler: probe, fresh: false })
        : undefined;
  if (worker !== undefined) {
    for (let i = 0; i < SAMPLES; i++) {
      const pickedUp = new Promise((resolve) => (picked = resolve));
      started = performance.now();
      await worker.addOne({ probe: true });
      await pickedUp;
    }
    if (worker !== open) await worker.close();
  }
  await open.close();
  return {
    fillSeconds,
    empty: empty.length ? percentiles(empty) : undefined,
    due: due.length ? percentiles(due) : undefined,
    pickup: pickups.length ? percentiles(pickups) : undefined,
  };
}

async function main() {
  console.log(
    `node ${process.version}, ${PEERS}, PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`,
  );
  if (ONLY.has('e2e')) await throughputTable();
  if (ONLY.has('adds')) await addsTable();
  if (ONLY.has('claims')) await claimsTable();
}

async function throughputTable() {
  const rows = [];
  for (const concurrency of CONCURRENCIES) {
    const runs = { ours: [], pgboss: [], graphile: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of SIDES) {
        runs[side].push(await endToEnd(side, concurrency));
        progress(
          `end-to-end, concurrency ${concurrency}, round ${round + 1}: ${NAMES[side]} ${fmt(runs[side].at(-1))}/s`,
        );
      }
    }
    const rate = Object.fromEntries(SIDES.map((side) => [side, median(runs[side])]));
    rows.push([
      concurrency,
      fmt(rate.ours),
      fmt(rate.pgboss),
      fmt(rate.graphile),
      ratio(rate.ours, rate.pgboss),
      ratio(rate.ours, rate.graphile),
    ]);
  }
  printTable(
    `End-to-end throughput, ${COUNT.toLocaleString('en')} no-op tasks added in bulk, tasks/s (higher is better; median of ${ROUNDS})`,
    ['conc.', NAMES.ours, NAMES.pgboss, NAMES.graphile, 'vs pg-boss', 'vs graphile'],
    rows,
  );
}

async function addsTable() {
  const addRuns = { ours: [], pgboss: [], graphile: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of SIDES) {
      addRuns[side].push(await addRates(side));
      progress(
        `adds, round ${round + 1}: ${NAMES[side]} ${JSON.stringify(addRuns[side].at(-1), (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`,
      );
    }
  }
  const adds = Object.fromEntries(
    SIDES.map((side) => [
      side,
      Object.fromEntries(['sequential', 'concurrent', 'bulk'].map((k) => [k, median(addRuns[side].map((r) => r[k]))])),
    ]),
  );
  const addRow = (label, key) => [
    label,
    fmt(adds.ours[key]),
    fmt(adds.pgboss?.[key]),
    fmt(adds.graphile?.[key]),
    ratio(adds.ours[key], adds.pgboss?.[key]),
    ratio(adds.ours[key], adds.graphile?.[key]),
  ];
  printTable(
    `Adding tasks, no worker running, tasks/s (higher is better; median of ${ROUNDS})`,
    ['add', NAMES.ours, NAMES.pgboss, NAMES.graphile, 'vs pg-boss', 'vs graphile'],
    [
      addRow(`single, awaited one by one (${SINGLE_SEQUENTIAL.toLocaleString('en')})`, 'sequential'),
      addRow(`single, ${CHUNK.toLocaleString('en')} in flight (${COUNT.toLocaleString('en')})`, 'concurrent'),
      addRow(`bulk, ${CHUNK.toLocaleString('en')} a call (${COUNT.toLocaleString('en')})`, 'bulk'),
    ],
  );
}

async function claimsTable() {
  const claims = {};
  for (const side of SIDES) {
    claims[side] = await claimLatency(side);
    progress(`claim latency: ${NAMES[side]} filled in ${claims[side].fillSeconds.toFixed(1)} s`);
  }
  const latencyRow = (side) => {
    const c = claims[side];
    return [
      NAMES[side],
      c.fillSeconds.toFixed(1),
      ms(c.empty?.p50),
      ms(c.empty?.p99),
      ms(c.due?.p50),
      ms(c.due?.p99),
      ms(c.pickup?.p50),
      ms(c.pickup?.p99),
    ];
  };
  printTable(
    `Claim latency with ${DELAYED.toLocaleString('en')} delayed rows in the table, ms (lower is better; ${SAMPLES} samples)`,
    ['', 'fill s', 'none due p50', 'p99', 'one due p50', 'p99', 'add-to-start p50', 'p99'],
    [
      ...SIDES.map(latencyRow),
      [
        'pg-boss / ours (p50)',
        '',
        ratio(claims.pgboss?.empty.p50, claims.ours.empty.p50),
        '',
        ratio(claims.pgboss?.due.p50, claims.ours.due.p50),
        '',
        '',
        '',
      ],
      [
        'graphile-worker / ours (p50)',
        '',
        '',
        '',
        '',
        '',
        ratio(claims.graphile?.pickup.p50, claims.ours.pickup.p50),
        '',
      ],
    ],
  );
}

await main();
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('postgres.bench.mjs');
