// The cost of the Prometheus observer: in-memory engine throughput (100,000 no-op tasks, concurrency 10)
// with PrometheusTaskMetrics registered, as a ratio to the same run with no observer (target: >= 0.95, issue 14).
// A middle row registers an observer that only keeps the last event, to tell the engine's event path
// (paid by any observer, `events$` too) from what Prometheus adds. (An observer that ignores its events
// would not do: V8 inlines it and never builds them.) Each round runs the three in a rotating order.
// Throughput is per second of the process's CPU time, so other load on the machine counts less; the
// ratio is that of each observer's best round to the best round without (the round least disturbed by
// other load), with the median of the rounds' ratios beside it.
// Run: npm run build && node --expose-gc bench/observer.bench.mjs   (BENCH_QUICK=1 for a short run)
import { Registry } from 'prom-client';
import { InMemoryTaskStore, TaskQueue } from '../dist/esm/index.js';
import { PrometheusTaskMetrics } from '../dist/esm/observability/index.js';
import { printTable } from './bench-format.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const COUNT = 100_000;
const CONCURRENCY = 10;
const ROUNDS = quick ? 3 : 11;
const TARGET = 0.95;
const noop = async () => {};

const MODES = {
  off: () => undefined,
  'events only': () => ({
    last: undefined,
    onTaskEvent(event) {
      this.last = event;
    },
  }),
  PrometheusTaskMetrics: (queue, registry) => PrometheusTaskMetrics.create(queue.store, { registry }),
};

/** Schedules and runs `count` no-op tasks, with the mode's observer registered. */
async function run(count, mode) {
  const queue = new TaskQueue({ store: new InMemoryTaskStore(), concurrency: CONCURRENCY, logger: 'warn' });
  queue.registerHandler('noop', { execute: noop });
  const registry = new Registry();
  const observer = await MODES[mode](queue, registry);
  if (observer) queue.observe(observer);
  await queue.start();
  global.gc();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < count; i++) queue.schedule('noop');
  await queue.whenIdle();
  const cpu = process.cpuUsage(cpuBefore);
  await queue.close();
  if (
    mode === 'PrometheusTaskMetrics' &&
    !(await registry.metrics()).includes(`task_queue_tasks_total{handler="noop",outcome="succeeded"} ${count}`)
  ) {
    throw new Error('The observer did not count every task');
  }
  return { cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en');

if (!global.gc) throw new Error('Run with node --expose-gc.');
console.log(`node ${process.version}, ${new Date().toISOString()}${quick ? ', quick run' : ''}`);
const names = Object.keys(MODES);
for (const mode of names) await run(20_000, mode); // warm-up
const results = Object.fromEntries(names.map((mode) => [mode, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < names.length; i++) {
    const mode = names[(round + i) % names.length];
    results[mode].push(await run(COUNT, mode));
  }
}
const best = (mode) => Math.max(...results[mode].map((r) => r.cpu));
const bestRatio = (mode) => best(mode) / best('off');
const medianRatio = (mode) => median(results[mode].map((r, round) => r.cpu / results.off[round].cpu));
printTable(
  `Observer cost: ${COUNT.toLocaleString('en')} no-op tasks, concurrency ${CONCURRENCY}, ${ROUNDS} rounds (higher is better)`,
  ['observer', 'best tasks/CPU-s', 'median tasks/CPU-s', 'ratio (best)', 'ratio (median)'],
  names.map((mode) => [
    mode,
    fmt(best(mode)),
    fmt(median(results[mode].map((r) => r.cpu))),
    bestRatio(mode).toFixed(2),
    medianRatio(mode).toFixed(2),
  ]),
);
const ratio = bestRatio('PrometheusTaskMetrics');
// Printed, not enforced: on a shared or busy machine a round can be disturbed; run it again on a quiet one.
console.log(
  `Target: PrometheusTaskMetrics ratio (best) >= ${TARGET.toFixed(2)}: ${ratio >= TARGET ? 'met' : 'NOT met'} (${ratio.toFixed(2)})`,
);
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('observer.bench.mjs');
