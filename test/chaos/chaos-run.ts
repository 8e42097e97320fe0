import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskQueue, TaskStatus, type ITaskStore } from '../../lib/index.js';
import { checkChaos, type ChaosVerdict } from './chaos-checker.js';
import { readRunLog, type Disruption } from './chaos-log.js';
import { seededRandom, type ChaosOptions } from './chaos-options.js';
import { ChaosProducer } from './chaos-producer.js';
import type { ChaosStore } from './chaos-stores.js';
import { ChaosWorkers } from './chaos-workers.js';

/** Compiled, this file is in <out>/test/chaos/: the library compiled with it is <out>/lib/. */
const LIB = resolve(import.meta.dirname, '../../lib');
const libModule = (path: string) => pathToFileURL(join(LIB, path)).href;

export interface StoreRunReport {
  store: string;
  verdict: ChaosVerdict;
  scheduled: number;
  kills: number;
  pauses: number;
  outages: string[];
  producer: ChaosProducer;
  /** Pending or running at the end of the drain. */
  unfinished: number;
  seconds: number;
}

/** One store's chaos run: workers and a producer on it, faults for `options.seconds`, a drain, the check. */
export async function runChaos(store: ChaosStore, options: ChaosOptions): Promise<StoreRunReport> {
  const began = Date.now();
  const random = seededRandom(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'ntq-chaos-'));
  const file = join(dir, 'runs.jsonl');
  writeFileSync(file, '');
  const Store = (await import(libModule(store.module)))[store.exportName] as new (o: object) => ITaskStore;
  const queue = new TaskQueue({ store: new Store(store.options), autoStart: false, logger: false });
  queue.registerHandler('job', { execute: () => undefined });
  await queue.init();

  const workers = new ChaosWorkers(
    {
      lib: libModule('index.js'),
      store: { module: libModule(store.module), exportName: store.exportName, options: store.options },
      recorder: { module: pathToFileURL(join(import.meta.dirname, 'chaos-recorder.mjs')).href, options: { file } },
      concurrency: options.concurrency,
    },
    random,
  );
  const outages: string[] = [];
  const outageWindows: Disruption[] = [];
  try {
    await workers.start(options.workers);
    const producer = new ChaosProducer(queue, random);
    await producer.refuseHostileInput();
    const producing = producer.run(options.tasks, options.seconds * 700);
    await inject(options, random, workers, async (n, ms) => {
      const window: Disruption = { kind: 'outage', from: Date.now(), to: Infinity };
      outageWindows.push(window);
      const how = await store.outage(n, ms);
      window.to = Date.now();
      outages.push(`${how} ${((window.to - window.from) / 1000).toFixed(1)} s`);
    });
    await producing;
    await workers.settle();
    const unfinished = await drain(queue, options.drainSeconds * 1000);
    await workers.close();
    const completed = await completedOf(
      queue,
      producer.scheduled.map((task) => task.id),
    );
    const verdict = checkChaos({
      scheduled: producer.scheduled,
      completed,
      events: readRunLog(file),
      disruptions: [...workers.disruptions, ...outageWindows],
    });
    return {
      store: store.name,
      verdict,
      scheduled: producer.scheduled.length,
      kills: workers.kills,
      pauses: workers.pauses,
      outages,
      producer,
      unfinished,
      seconds: (Date.now() - began) / 1000,
    };
  } finally {
    await workers.close().catch(() => undefined);
    await queue.close();
    // CHAOS_KEEP_LOG=1 keeps the run log and the faults, to look into a run.
    if (process.env.CHAOS_KEEP_LOG === '1') {
      writeFileSync(join(dir, 'faults.json'), JSON.stringify([...workers.disruptions, ...outageWindows]));
      console.log(`${store.name}: run log kept in ${dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Faults, one every 1-3 s (and an outage's length), cycling through kills, bursts of kills, pauses and outages. */
async function inject(
  options: ChaosOptions,
  random: () => number,
  workers: ChaosWorkers,
  outage: (n: number, ms: number) => Promise<void>,
): Promise<void> {
  const end = Date.now() + options.seconds * 1000;
  const step = Math.min(3_000, Math.max(1_000, (options.seconds * 1000) / 10));
  const cycle = ['kill', 'outage', 'pause', 'burst', 'kill', 'outage', 'pause', 'kill', 'burst'] as const;
  let outages = 0;
  for (let i = 0; Date.now() + step / 2 < end; i++) {
    await sleep(step * (0.5 + random()));
    const action = cycle[i % cycle.length]!;
    if (action === 'kill') await workers.kill(1);
    if (action === 'burst') await workers.kill(2);
    if (action === 'pause') workers.pause(Math.round(options.leaseTime * (1.5 + random())));
    // At least a lease long: leases lapse, so take-over after an outage is tested too.
    if (action === 'outage') await outage(outages++, Math.round(options.leaseTime * (1 + random())));
  }
}

/** Waits until nothing is pending or running (or `ms` passed); returns how many are left. */
async function drain(queue: TaskQueue, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const counts = await queue.counts().catch(() => undefined);
    const left = counts === undefined ? Infinity : counts[TaskStatus.Pending] + counts[TaskStatus.Running];
    if (left === 0 || Date.now() > deadline) return left;
    await sleep(250);
  }
}

async function completedOf(queue: TaskQueue, ids: string[]): Promise<Set<string>> {
  const completed = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const tasks = await Promise.all(ids.slice(i, i + 200).map((id) => queue.getTask(id)));
    for (const task of tasks) if (task?.status === TaskStatus.Succeeded) completed.add(task.id);
  }
  return completed;
}
