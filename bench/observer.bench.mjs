// The cost of the Prometheus observer: in-memory engine throughput (100,000 no-op tasks, concurrency 10)
// with PrometheusTaskMetrics registered, as a ratio to the same run without it (target: >= 0.90).
// Runs come in pairs, in alternating order (off/on, on/off, ...), and the ratio is the median of the
// pairs' ratios, so load that drifts over the run moves neither side. Throughput is given per second of
// the process's CPU time (what the observer costs, whatever else the machine runs) and of wall time.
// Run: npm run build && node --expose-gc bench/observer.bench.mjs   (BENCH_QUICK=1 for a short run)
import { Registry } from 'prom-client';
import { InMemoryTaskStore, TaskQueue } from '../dist/esm/index.js';
import { PrometheusTaskMetrics } from '../dist/esm/observability/index.js';
import { printTable } from './bench-format.mjs';

const quick = process.env.BENCH_QUICK === '1';
const COUNT = 100_000;
const CONCURRENCY = 10;
const PAIRS = quick ? 3 : 9;
const TARGET = 0.9;
const noop = async () => {};

/** Schedules and runs `count` no-op tasks; with `observed`, PrometheusTaskMetrics counts them. */
async function run(count, observed) {
  const queue = new TaskQueue({ store: new InMemoryTaskStore(), concurrency: CONCURRENCY, logger: 'warn' });
  queue.registerHandler('noop', { execute: noop });
  const registry = new Registry();
  if (observed) queue.observe(await PrometheusTaskMetrics.create(queue.store, { registry }));
  await queue.start();
  global.gc();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) queue.schedule('noop');
  await queue.whenIdle();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await queue.close();
  if (observed && !(await registry.metrics()).includes(`task_queue_tasks_total{handler="noop",outcome="succeeded"} ${count}`)) {
    throw new Error('The observer did not count every task');
  }
  return { cpu: count / ((cpu.user + cpu.system) / 1e6), wall: count / (wallMs / 1000) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en');

if (!global.gc) throw new Error('Run with node --expose-gc.');
console.log(`node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`);
await run(20_000, false); // warm-up, both paths
await run(20_000, true);
const off = [];
const on = [];
for (let pair = 0; pair < PAIRS; pair++) {
  if (pair % 2 === 0) {
    off.push(await run(COUNT, false));
    on.push(await run(COUNT, true));
  } else {
    on.push(await run(COUNT, true));
    off.push(await run(COUNT, false));
  }
}
const ratio = (key) => median(on.map((o, i) => o[key] / off[i][key]));
const cpuRatio = ratio('cpu');
printTable(
  `Prometheus observer cost: ${COUNT.toLocaleString('en')} no-op tasks, concurrency ${CONCURRENCY}, median of ${PAIRS} pairs (higher is better)`,
  ['observer', 'tasks/CPU-s', 'tasks/s (wall)', 'ratio (CPU)', 'ratio (wall)'],
  [
    ['off', fmt(median(off.map((r) => r.cpu))), fmt(median(off.map((r) => r.wall))), '1.00', '1.00'],
    ['PrometheusTaskMetrics', fmt(median(on.map((r) => r.cpu))), fmt(median(on.map((r) => r.wall))), cpuRatio.toFixed(2), ratio('wall').toFixed(2)],
  ],
);
console.log(`Target: ratio (CPU) >= ${TARGET.toFixed(2)}: ${cpuRatio >= TARGET ? 'met' : 'NOT met'}`);
if (cpuRatio < TARGET) process.exitCode = 1;
