// nest-task-queue's RedisTaskStore vs BullMQ, side by side in one process run on the same Redis: end-to-end
// throughput of no-op tasks (bulk and single adds) and start lateness of delayed tasks. Our side is the engine
// (TaskQueue) without Nest. Run: npm run bench:redis (builds first). BENCH_QUICK=1 for a short run.
import { percentiles, printTable, ratio } from './bench-format.mjs';
import { addAll, cpuMark, openBullmq, openOurs, REDIS_URL } from './redis-bench-support.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const SIZES = quick ? [20_000] : [20_000, 100_000];
const CONCURRENCIES = [10, 100];
const LATENESS_SIZES = quick ? [10_000] : [10_000, 100_000];

/** Tasks/s from the first add to the last completion, worker and producer in this process. */
async function endToEnd(open, count, concurrency, bulk) {
  let done = 0;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const count1 = () => {
    if (++done === count) finish();
  };
  const side = await open({ concurrency, handler: open === openOurs ? count1 : () => undefined, onCompleted: count1 });
  const cpu = await cpuMark();
  const started = performance.now();
  await addAll(
    count,
    bulk,
    () => side.addOne({}),
    (from, to) => side.addMany(Array.from({ length: to - from }, () => ({ args: {} }))),
  );
  const added = performance.now();
  await finished;
  const ms = performance.now() - started;
  const cpuEnd = await cpuMark();
  await side.close();
  return {
    perSecond: count / (ms / 1000),
    addPerSecond: count / ((added - started) / 1000),
    redisUs: ((cpuEnd.redis - cpu.redis) * 1000) / count,
    clientUs: ((cpuEnd.client - cpu.client) * 1000) / count,
  };
}

async function throughput() {
  const rows = [];
  for (const count of SIZES) {
    for (const concurrency of CONCURRENCIES) {
      for (const bulk of [true, false]) {
        const ours = await endToEnd(openOurs, count, concurrency, bulk);
        const theirs = await endToEnd(openBullmq, count, concurrency, bulk);
        rows.push([
          count.toLocaleString('en'),
          concurrency,
          bulk ? 'bulk' : 'single',
          fmt(ours.perSecond),
          fmt(theirs.perSecond),
          ratio(ours.perSecond, theirs.perSecond),
          `${fmt(ours.redisUs)} / ${fmt(theirs.redisUs)}`,
          `${fmt(ours.clientUs)} / ${fmt(theirs.clientUs)}`,
          `${fmt(ours.addPerSecond)} / ${fmt(theirs.addPerSecond)}`,
        ]);
      }
    }
  }
  printTable(
    'End-to-end throughput, no-op tasks/s (higher is better); CPU per task, us (lower is better); pairs are ours / BullMQ',
    ['tasks', 'conc.', 'add', 'nest-task-queue', 'BullMQ', 'ratio', 'Redis CPU/task', 'Node CPU/task', 'add/s'],
    rows,
  );
}

/**
 * How late delayed tasks start: due at random over 1-5 s after a start line that leaves time to add them all
 * first (so adding is not measured as lateness), concurrency 100.
 */
async function lateness(open, count) {
  const late = [];
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const probe = (args) => {
    late.push(Date.now() - args.due);
    if (late.length === count) finish();
  };
  const side = await open({ concurrency: 100, handler: probe, onCompleted: () => undefined });
  const lead = count >= 100_000 ? 4_000 : 1_000;
  const base = Date.now() + lead;
  const due = Array.from({ length: count }, () => base + 1_000 + Math.round(Math.random() * 4_000));
  await addAll(count, true, undefined, (from, to) =>
    side.addMany(due.slice(from, to).map((d) => ({ args: { due: d }, runAt: d }))),
  );
  const addedLate = Date.now() > base + 1_000;
  await finished;
  await side.close();
  return { ...percentiles(late), addedLate };
}

async function latenessTable() {
  const rows = [];
  for (const count of LATENESS_SIZES) {
    const ours = await lateness(openOurs, count);
    const theirs = await lateness(openBullmq, count);
    rows.push([
      count.toLocaleString('en'),
      'nest-task-queue',
      ours.p50,
      ours.p99,
      ours.max,
      ours.addedLate ? 'adding overran' : '',
    ]);
    rows.push([
      count.toLocaleString('en'),
      'BullMQ',
      theirs.p50,
      theirs.p99,
      theirs.max,
      theirs.addedLate ? 'adding overran' : '',
    ]);
    rows.push([
      count.toLocaleString('en'),
      'BullMQ / ours (p99)',
      '',
      ratio(Math.max(1, theirs.p99), Math.max(1, ours.p99)),
      '',
      '',
    ]);
  }
  printTable(
    'Start lateness of delayed tasks due over 1-5 s, ms (lower is better)',
    ['tasks', '', 'p50', 'p99', 'max', ''],
    rows,
  );
}

const fmt = (n) => Math.round(n).toLocaleString('en');

console.log(`node ${process.version}, Redis at ${REDIS_URL}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`);
// Warm-up: JIT, script caches, connections.
await endToEnd(openOurs, 2_000, 10, true);
await endToEnd(openBullmq, 2_000, 10, true);
await throughput();
await latenessTable();
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('redis.bench.mjs');
