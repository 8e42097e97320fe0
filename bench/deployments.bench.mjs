// Deployments (issue 10) on the in-memory store: the cost of a claim of one handler while another handler, at its
// globalConcurrency (or its rate limit), has a large due backlog, against the same claims without that backlog.
// The store is driven directly (claim, complete): what is measured is the claim. Run: node scripts/build.mjs &&
// node --expose-gc bench/deployments.bench.mjs (BENCH_QUICK=1: a 100,000-task backlog instead of 1,000,000).
import { InMemoryTaskStore } from '../dist/esm/index.js';
import { printTable } from './bench-format.mjs';
import { reportIfStillOpen } from './bench-exit.mjs';

const quick = process.env.BENCH_QUICK === '1';
const BACKLOG = quick ? 100_000 : 1_000_000;
const CLAIMS = 20_000;

const task = (id, handler, now) => ({
  id,
  handler,
  args: null,
  priority: 0,
  runAt: now,
  createdAt: now,
  maxRetries: 0,
});

/** µs per claim-and-complete of a `small` task, with `big` holding `backlog` due tasks behind `limits`. */
async function measure(backlog, limits) {
  const store = new InMemoryTaskStore();
  const now = Date.now() - 1_000;
  for (let i = 0; i < backlog; i += 10_000) {
    const batch = [];
    for (let j = i; j < Math.min(backlog, i + 10_000); j++) batch.push(task(`big-${j}`, 'big', now));
    await store.add(batch);
  }
  const handlers = { big: limits, small: {} };
  // Fill big's cap (or window) first: from then on, every claim meets it held back.
  if (backlog > 0) await store.claim({ workerId: 'w', limit: 1, handlers });
  globalThis.gc?.();
  const started = performance.now();
  for (let i = 0; i < CLAIMS; i++) {
    await store.add([task(`small-${i}`, 'small', now + 1)]);
    const { tasks } = await store.claim({ workerId: 'w', limit: 10, handlers });
    if (tasks.length !== 1 || tasks[0].handler !== 'small') throw new Error(`claimed ${tasks.map((t) => t.handler)}`);
    await store.complete({ taskId: tasks[0].id, token: tasks[0].leaseToken });
  }
  return ((performance.now() - started) * 1_000) / CLAIMS;
}

const rows = [];
for (const [what, limits] of [
  ['globalConcurrency: 1', { globalConcurrency: 1 }],
  ['rateLimit: 1 per hour', { rateLimit: { limit: 1, interval: 3_600_000 } }],
]) {
  const without = await measure(0, limits);
  const withBacklog = await measure(BACKLOG, limits);
  rows.push([what, without.toFixed(2), withBacklog.toFixed(2), (withBacklog / without).toFixed(2) + 'x']);
}
printTable(
  `node ${process.version}: ${CLAIMS.toLocaleString('en')} claims of another handler, µs per add + claim + complete (lower is better)`,
  ['big handler at its', 'no backlog', `${BACKLOG.toLocaleString('en')} due`, 'ratio'],
  rows,
);
// Everything is closed: the process ends now, or this says what holds it open.
reportIfStillOpen('deployments.bench.mjs');
