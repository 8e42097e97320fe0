// `npm run chaos`: worker processes on Redis and PostgreSQL under kill -9, SIGSTOP, outages, failures, timeouts
// and hostile input; exits 1 on any loss, run twice while leased, or partition order violation. Knobs:
// chaos-options.ts (CHAOS_SHORT=1 is the short run .ci/run does).
import { chaosOptions } from './chaos-options.js';
import { failed, formatReport } from './chaos-report.js';
import { runChaos } from './chaos-run.js';
import { postgresChaosStore, redisChaosStore, type ChaosStore } from './chaos-stores.js';

const STORES: Record<string, (leaseTime: number) => Promise<ChaosStore>> = {
  redis: redisChaosStore,
  postgres: postgresChaosStore,
};

const options = chaosOptions();
console.log(
  `Chaos run: ${options.stores.join(', ')}; ${options.seconds} s of faults and ${options.tasks} tasks per store, ` +
    `${options.workers} workers x ${options.concurrency}, lease ${options.leaseTime} ms, CHAOS_SEED=${options.seed}`,
);
let failures = 0;
for (const name of options.stores) {
  const open = STORES[name];
  if (open === undefined) throw new Error(`CHAOS_STORES: unknown store "${name}" (redis, postgres)`);
  const store = await open(options.leaseTime);
  try {
    const report = await runChaos(store, options);
    console.log(formatReport(report));
    if (failed(report)) failures++;
  } finally {
    await store.close();
  }
}
console.log(failures === 0 ? 'Chaos run passed.' : `Chaos run FAILED on ${failures} store(s).`);
process.exit(failures === 0 ? 0 : 1);
