// In-memory engine vs p-queue and fastq, side by side in one process run: throughput, memory per pending
// task, start lateness. Run: npm run bench (builds first). Set BENCH_QUICK=1 for a short run.
import fastq from 'fastq';
import PQueue from 'p-queue';
import { InMemoryTaskStore, TaskQueue } from '../dist/esm/index.js';
import { percentiles, printTable, ratio } from './bench-format.mjs';

const quick = process.env.BENCH_QUICK === '1';
const SIZES = quick ? [100_000] : [100_000, 1_000_000];
const CONCURRENCIES = [1, 10, 100];
const P_QUEUE_MAX = 200_000;
const noop = async () => {};

async function ours(count, concurrency) {
  const queue = new TaskQueue({ store: new InMemoryTaskStore(), concurrency, logger: 'warn' });
  queue.registerHandler('noop', { execute: noop });
  await queue.start();
  const started = performance.now();
  for (let i = 0; i < count; i++) queue.schedule('noop');
  await queue.whenIdle();
  const ms = performance.now() - started;
  await queue.close();
  return ms;
}

async function pQueue(count, concurrency) {
  const queue = new PQueue({ concurrency });
  const started = performance.now();
  for (let i = 0; i < count; i++) queue.add(noop);
  await queue.onIdle();
  return performance.now() - started;
}

async function fastQueue(count, concurrency) {
  const queue = fastq.promise(noop, concurrency);
  const started = performance.now();
  for (let i = 0; i < count; i++) queue.push(undefined);
  await queue.drained();
  return performance.now() - started;
}

async function throughput() {
  const rows = [];
  for (const count of SIZES) {
    for (const concurrency of CONCURRENCIES) {
      const perSecond = async (run) => {
        await run(Math.min(count, 20_000), concurrency); // warm-up
        global.gc?.();
        return count / ((await run(count, concurrency)) / 1000);
      };
      const a = await perSecond(ours);
      // p-queue dequeues with Array#shift (O(n)): a million queued tasks take minutes a row, so it sits those out.
      const p = count <= P_QUEUE_MAX ? await perSecond(pQueue) : undefined;
      const f = await perSecond(fastQueue);
      rows.push([
        count.toLocaleString('en'),
        concurrency,
        fmt(a),
        p === undefined ? 'skipped*' : fmt(p),
        fmt(f),
        p === undefined ? '-' : ratio(a, p),
        ratio(a, f),
      ]);
    }
  }
  printTable(
    'Throughput, no-op tasks/s (higher is better)',
    ['tasks', 'conc.', 'nest-task-queue', 'p-queue', 'fastq', 'vs p-queue', 'vs fastq'],
    rows,
  );
  if (SIZES.some((n) => n > P_QUEUE_MAX))
    console.log(
      `* p-queue above ${P_QUEUE_MAX.toLocaleString('en')} tasks: its Array#shift dequeue is O(n), minutes per row.`,
    );
}

/** Heap growth per pending task while `count` tasks wait (ours: delayed an hour; peers: queued, paused). */
async function memory() {
  const count = quick ? 200_000 : 1_000_000;
  const measure = async (fill) => {
    global.gc();
    const before = process.memoryUsage().heapUsed;
    const keep = await fill();
    global.gc();
    const after = process.memoryUsage().heapUsed;
    await keep.release?.();
    return { perTask: (after - before) / count, peakMb: after / 2 ** 20 };
  };
  const oursResult = await measure(async () => {
    const queue = new TaskQueue({ store: new InMemoryTaskStore(), logger: 'warn' });
    queue.registerHandler('noop', { execute: noop });
    await queue.start();
    for (let i = 0; i < count; i++) await queue.schedule('noop', undefined, { delay: 3_600_000 });
    return { queue, release: () => queue.close() };
  });
  const pResult = await measure(async () => {
    const queue = new PQueue({ concurrency: 1, autoStart: false });
    for (let i = 0; i < count; i++) queue.add(noop);
    return { queue, release: () => queue.clear() };
  });
  const fResult = await measure(async () => {
    const queue = fastq(noop, 1);
    queue.pause();
    for (let i = 0; i < count; i++) queue.push(undefined, () => {});
    return { queue, release: () => queue.kill() };
  });
  printTable(
    `Memory, ${count.toLocaleString('en')} pending tasks (lower is better)`,
    ['', 'bytes/task', 'heap after, MB'],
    [
      ['nest-task-queue (delayed 1 h)', oursResult.perTask.toFixed(0), oursResult.peakMb.toFixed(0)],
      ['p-queue (queued, paused)', pResult.perTask.toFixed(0), pResult.peakMb.toFixed(0)],
      ['fastq (queued, paused)', fResult.perTask.toFixed(0), fResult.peakMb.toFixed(0)],
    ],
  );
}

/** How late tasks due at random over 1-5 s start: ours (one timer) vs one setTimeout per task. */
async function lateness() {
  const count = quick ? 20_000 : 100_000;
  const delays = Array.from({ length: count }, () => 1_000 + Math.random() * 4_000);

  const queue = new TaskQueue({ store: new InMemoryTaskStore(), concurrency: 100, logger: 'warn' });
  const late = [];
  queue.registerHandler('probe', { execute: (due) => void late.push(Date.now() - due) });
  await queue.start();
  const base = Date.now();
  await queue.scheduleMany(
    delays.map((d) => ({
      handler: 'probe',
      args: base + Math.round(d),
      options: { runAt: new Date(base + Math.round(d)) },
    })),
  );
  await new Promise((resolve) => setTimeout(resolve, 5_200));
  await queue.whenIdle();
  await queue.close();

  const timerLate = [];
  const timerBase = Date.now();
  await new Promise((resolve) => {
    let left = count;
    for (const d of delays) {
      const due = timerBase + Math.round(d);
      setTimeout(() => {
        timerLate.push(Date.now() - due);
        if (--left === 0) resolve();
      }, due - Date.now());
    }
  });
  const a = percentiles(late);
  const t = percentiles(timerLate);
  printTable(
    `Start lateness, ${count.toLocaleString('en')} tasks due over 1-5 s, ms (lower is better)`,
    ['', 'p50', 'p99', 'max', 'ran'],
    [
      ['nest-task-queue (one timer)', a.p50, a.p99, a.max, late.length],
      ['setTimeout per task', t.p50, t.p99, t.max, timerLate.length],
    ],
  );
}

const fmt = (n) => Math.round(n).toLocaleString('en');

if (!global.gc) throw new Error('Run with node --expose-gc (npm run bench does).');
console.log(`node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`);
await throughput();
await memory();
await lateness();
