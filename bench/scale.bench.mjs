// Scale-out: the same load on Redis and on PostgreSQL with 1, 2 and 4 worker processes and one producer (this
// process, adding in bulk, 1,000 a call): throughput, its ratio to 1 process, and each process's share of the
// tasks (no process should idle while work waits). On a 2-core machine the curve flattens at 2; more processes
// must never lower it. Run: npm run bench:scale (builds first). BENCH_QUICK=1: 20,000 tasks instead of 100,000.
import { fork } from 'node:child_process';
import { TaskQueue } from '../dist/esm/index.js';
import { printTable } from './bench-format.mjs';
import { clearStore, openStore } from './scale-stores.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const COUNT = quick ? 20_000 : 100_000;
const CHUNK = 1_000;
const CONCURRENCY = 10;
const PROCESSES = [1, 2, 4];
const STORES = (process.env.BENCH_STORES ?? 'redis,postgres').split(',');
/** A worker that closed ends at once; one still there after this (it reports what holds it at 5 s) is stuck. */
const STOP_BOUND_MS = 10_000;

function startWorker(store) {
  const child = fork(new URL('./scale-worker.mjs', import.meta.url), [store, String(CONCURRENCY)]);
  const worker = { child, done: 0 };
  const ready = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.ready) resolve();
      if (message.done !== undefined) worker.done = message.done;
    });
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it was ready`)));
  });
  worker.ready = ready;
  return worker;
}

/** A worker that closed must end by itself; one that stays (it prints what holds it) is killed, failing the run. */
async function stopWorker(worker, store) {
  const exited = new Promise((resolve) => worker.child.once('exit', () => resolve(true)));
  const closed = new Promise((resolve) => worker.child.on('message', (message) => message.closed && resolve()));
  worker.child.send('stop');
  // Closing takes what it takes (it drains); from then on, nothing may hold the process.
  await Promise.race([closed, exited]);
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve(false), STOP_BOUND_MS)));
  const ended = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (ended) return;
  process.stderr.write(`A ${store} worker did not exit within ${STOP_BOUND_MS / 1000} s of closing; killed it\n`);
  process.exitCode = 1;
  worker.child.kill('SIGKILL');
  await exited;
}

/** Tasks/s from the first add to the moment the workers together report every task done. */
async function run(store, processes) {
  await clearStore(store);
  // The producer migrates the store before the workers start, so they do not race to.
  const producer = new TaskQueue({ store: openStore(store), autoStart: false, logger: 'warn' });
  producer.registerHandler('job', { execute: () => undefined });
  await producer.start();
  const workers = Array.from({ length: processes }, () => startWorker(store));
  await Promise.all(workers.map((w) => w.ready));
  const started = performance.now();
  for (let from = 0; from < COUNT; from += CHUNK)
    await producer.scheduleMany(Array.from({ length: CHUNK }, (_, i) => ({ handler: 'job', args: { i: from + i } })));
  const total = () => workers.reduce((sum, w) => sum + w.done, 0);
  while (total() < COUNT) await new Promise((resolve) => setTimeout(resolve, 10));
  const elapsed = performance.now() - started;
  const shares = workers.map((w) => w.done / COUNT);
  await Promise.all(workers.map((worker) => stopWorker(worker, store)));
  await producer.close();
  await clearStore(store);
  return { rate: COUNT / (elapsed / 1000), shares };
}

console.log(`node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`);
for (const store of STORES) {
  const rows = [];
  let base;
  for (const processes of PROCESSES) {
    const { rate, shares } = await run(store, processes);
    base ??= rate;
    const share = shares.map((s) => `${Math.round(s * 100)}%`).join(' / ');
    rows.push([processes, Math.round(rate).toLocaleString('en'), `${(rate / base).toFixed(2)}x`, share]);
    process.stderr.write(`${store}, ${processes} process(es): ${Math.round(rate)}/s\n`);
  }
  printTable(
    `Scale-out on ${store}: ${COUNT.toLocaleString('en')} no-op tasks, concurrency ${CONCURRENCY} per process, one producer`,
    ['processes', 'tasks/s', 'vs 1 process', 'share of tasks per process'],
    rows,
  );
}
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('scale.bench.mjs');
