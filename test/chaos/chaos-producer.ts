import { setTimeout as sleep } from 'node:timers/promises';
import {
  FixedDelayRetryStrategy,
  StoreUnavailableError,
  TaskQueueError,
  type ScheduleItem,
  type TaskQueue,
} from '../../lib/index.js';
import type { ScheduledTask } from './chaos-log.js';

const PARTITIONS = 50;
const BATCH = 20;

/** Input the queue must refuse at schedule(), with a typed error, storing nothing. */
const HOSTILE: [string, ScheduleItem][] = [
  ['U+0000 in args', { handler: 'job', args: { text: 'a\u0000b' } }],
  ['a lone surrogate in args', { handler: 'job', args: { text: 'a\ud800b' } }],
  ['a BigInt in args', { handler: 'job', args: { n: 1n } }],
  ['args 10,000 deep', { handler: 'job', args: Array.from({ length: 10_000 }).reduce((inner) => [inner], []) }],
  ['a lone surrogate in taskId', { handler: 'job', args: {}, options: { taskId: 'sur\ud800' } }],
  ['U+0000 in partitionKey', { handler: 'job', args: {}, options: { partitionKey: 'p\u0000' } }],
  ['a 3,000-character taskId', { handler: 'job', args: {}, options: { taskId: 'x'.repeat(3_000) } }],
];

/**
 * The chaos run's producer: schedules the tasks (most in partitions; some that fail at first, outlast their
 * timeout, or return what JSON cannot keep) through outages, retrying an add that failed with the same taskIds
 * after checking which of them were stored all the same (a StoreUnavailableError's unknown outcome).
 */
export class ChaosProducer {
  readonly scheduled: ScheduledTask[] = [];
  addErrors = 0;
  /** Tasks of a failed add that were found stored all the same. */
  storedAnyway = 0;
  hostileRefused = 0;
  readonly hostileAccepted: string[] = [];
  private readonly retry = new FixedDelayRetryStrategy(50);

  constructor(
    private readonly queue: TaskQueue,
    private readonly random: () => number,
  ) {}

  async refuseHostileInput(): Promise<void> {
    for (const [what, item] of HOSTILE) {
      try {
        await this.queue.scheduleMany([item]);
        this.hostileAccepted.push(what);
      } catch (error) {
        const typed = error instanceof TaskQueueError && !(error instanceof StoreUnavailableError);
        if (typed) this.hostileRefused++;
        else this.hostileAccepted.push(`${what} (${String(error)})`);
      }
    }
  }

  /** Schedules `total` tasks evenly over `ms`. */
  async run(total: number, ms: number): Promise<void> {
    const started = Date.now();
    const seqs = new Array<number>(PARTITIONS).fill(0);
    for (let first = 0; first < total; first += BATCH) {
      const batch: { task: ScheduledTask; item: ScheduleItem }[] = [];
      for (let i = first; i < Math.min(total, first + BATCH); i++) batch.push(this.task(i, seqs));
      await this.scheduleSafely(batch);
      const due = started + (ms * (first + BATCH)) / total;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  }

  private task(i: number, seqs: number[]): { task: ScheduledTask; item: ScheduleItem } {
    const r = this.random;
    const id = `t${i}`;
    const task: ScheduledTask = { id };
    const args: Record<string, unknown> = { kind: 'record', ms: 1 + Math.floor(r() ** 2 * 150) };
    const options: NonNullable<ScheduleItem['options']> = { taskId: id, maxRetries: 50, retryStrategy: this.retry };
    if (r() < 0.7) {
      task.partition = Math.floor(r() * PARTITIONS);
      task.seq = ++seqs[task.partition]!;
      options.partitionKey = `p${task.partition}`;
    }
    const kind = r();
    if (kind < 0.2) {
      args.failUntil = 1 + Math.floor(r() * 2);
      args.hostileError = r() < 0.25;
    } else if (kind < 0.23) {
      Object.assign(args, { hangUntil: 1, hangMs: 1_000 });
      options.timeout = 300;
    } else if (kind < 0.26) {
      args.result = ['bigint', 'nul', 'surrogate'][Math.floor(r() * 3)];
    }
    return { task, item: { handler: 'job', args, options } };
  }

  private async scheduleSafely(batch: { task: ScheduledTask; item: ScheduleItem }[]): Promise<void> {
    let rest = batch;
    for (let attempt = 1; rest.length > 0; attempt++) {
      try {
        await this.queue.scheduleMany(rest.map((entry) => entry.item));
        this.scheduled.push(...rest.map((entry) => entry.task));
        return;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError) || attempt === 200) throw error;
        this.addErrors++;
        await sleep(200);
        rest = await this.notStored(rest);
      }
    }
  }

  /** The entries the store does not hold (in order); those it holds count as scheduled. Retries while it is out. */
  private async notStored<E extends { task: ScheduledTask }>(entries: E[]): Promise<E[]> {
    for (;;) {
      try {
        const found = await Promise.all(entries.map((entry) => this.queue.getTask(entry.task.id)));
        const stored = entries.filter((_, i) => found[i] !== undefined);
        this.scheduled.push(...stored.map((entry) => entry.task));
        this.storedAnyway += stored.length;
        return entries.filter((_, i) => found[i] === undefined);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        await sleep(200);
      }
    }
  }
}
