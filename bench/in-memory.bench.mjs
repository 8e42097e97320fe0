// In-memory engine vs p-queue and fastq, side by side in one process run: throughput, memory per pending
// task, start lateness. Ours is driven as an app drives it: `TaskScheduler.schedule(name, { i })` in a Nest
// application context. Each throughput row is the median of 5 rounds, the sides' order rotated per round.
// Peers: the newest release that runs on this Node (p-queue 10 needs Node 22). Run: npm run bench (builds
// first). Set BENCH_QUICK=1 for a short run.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import fastq from 'fastq';
import { InMemoryTaskStore, TaskHandler, TaskQueue, TaskQueueModule, TaskScheduler } from '../dist/esm/index.js';
import { percentiles, printTable, ratio } from './bench-format.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const SIZES = quick ? [100_000] : [100_000, 1_000_000];
const CONCURRENCIES = [1, 10, 100];
const ROUNDS = quick ? 3 : 5;
const noop = async () => {};

const modernNode = Number(process.versions.node.split('.')[0]) >= 22;
const pQueuePackage = modernNode ? 'p-queue-10' : 'p-queue';
const { default: PQueue } = await import(pQueuePackage);
// p-queue exports no ./package.json, so its version is read from the file.
const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const PEERS = `p-queue ${versionOf(pQueuePackage)}, fastq ${versionOf('fastq')}`;

class NoopTask {
  async execute() {}
}
TaskHandler('noop')(NoopTask);

/** A Nest application context with the module on its in-memory default, as an app has it. */
async function nestApp(concurrency, handlers) {
  class BenchModule {}
  Module({ imports: [TaskQueueModule.forRoot({ concurrency, logger: 'warn' })], providers: handlers })(BenchModule);
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  return { app, scheduler: app.get(TaskScheduler) };
}

async function ours(count, concurrency) {
  const { app, scheduler } = await nestApp(concurrency, [NoopTask]);
  const started = performance.now();
  for (let i = 0; i < count; i++) scheduler.schedule('noop', { i });
  await scheduler.whenIdle();
  const ms = performance.now() - started;
  await app.close();
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
  for (let i = 0; i < count; i++) queue.push({ i });
  await queue.drained();
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function throughput() {
  const sides = [ours, pQueue, fastQueue];
  const rows = [];
  for (const count of SIZES) {
    for (const concurrency of CONCURRENCIES) {
      const rates = sides.map(() => []);
      for (const side of sides) await side(Math.min(count, 20_000), concurrency); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < sides.length; k++) {
          const s = (round + k) % sides.length;
          global.gc();
          rates[s].push(count / ((await sides[s](count, concurrency)) / 1000));
        }
      }
      const [a, p, f] = rates.map(median);
      rows.push([count.toLocaleString('en'), concurrency, fmt(a), fmt(p), fmt(f), ratio(a, p), ratio(a, f)]);
    }
  }
  printTable(
    `Throughput, no-op tasks/s, median of ${ROUNDS} rotated rounds (higher is better)`,
    ['tasks', 'conc.', 'nest-task-queue', 'p-queue', 'fastq', 'vs p-queue', 'vs fastq'],
    rows,
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

  const late = [];
  class ProbeTask {
    execute({ due }) {
      late.push(Date.now() - due);
    }
  }
  TaskHandler('probe')(ProbeTask);
  const { app, scheduler } = await nestApp(100, [ProbeTask]);
  // Each side starts on a collected heap (as every throughput round does), not in the garbage the memory section left.
  global.gc();
  const base = Date.now();
  for (const d of delays) {
    const due = base + Math.round(d);
    await scheduler.schedule('probe', { due }, { runAt: new Date(due) });
  }
  await new Promise((resolve) => setTimeout(resolve, 5_200));
  await scheduler.whenIdle();
  await app.close();

  const timerLate = [];
  global.gc();
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
    ['', 'p50', 'p99', 'max', 'early', 'ran'],
    [
      ['nest-task-queue (TaskScheduler)', a.p50, a.p99, a.max, late.filter((ms) => ms < 0).length, late.length],
      ['setTimeout per task', t.p50, t.p99, t.max, timerLate.filter((ms) => ms < 0).length, timerLate.length],
    ],
  );
}

const fmt = (n) => Math.round(n).toLocaleString('en');

if (!global.gc) throw new Error('Run with node --expose-gc (npm run bench does).');
console.log(`node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}; peers: ${PEERS}`);
await throughput();
await memory();
await lateness();
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('in-memory.bench.mjs');
