import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { FixedDelayRetryStrategy, TaskHandler, type ITaskHandler, type TaskContext } from '../../lib/index.js';
import { closeAfterEach, gate, startTestApp, type TestApp } from '../support/task-queue-app.js';

/** Tracks, per partition, how many run at once and in what order they ran. */
@Injectable()
class Tracker {
  readonly active = new Map<string, number>();
  readonly order = new Map<string, number[]>();
  maxPerPartition = 0;
  maxOverall = 0;
  overall = 0;
}

@TaskHandler('step')
class StepTask implements ITaskHandler<{ partition: string; seq: number; ms: number }> {
  constructor(private readonly tracker: Tracker) {}
  async execute(args: { partition: string; seq: number; ms: number }) {
    const t = this.tracker;
    const now = (t.active.get(args.partition) ?? 0) + 1;
    t.active.set(args.partition, now);
    t.maxPerPartition = Math.max(t.maxPerPartition, now);
    t.maxOverall = Math.max(t.maxOverall, ++t.overall);
    t.order.set(args.partition, [...(t.order.get(args.partition) ?? []), args.seq]);
    await new Promise((resolve) => setTimeout(resolve, args.ms)); // real work takes time; this is the handler's work, not a test sleep
    t.active.set(args.partition, t.active.get(args.partition)! - 1);
    t.overall--;
  }
}

const held = new Map<string, ReturnType<typeof gate<void>>>();
@TaskHandler('held')
class HeldTask implements ITaskHandler<{ key: string; failFirst?: boolean }> {
  constructor(private readonly tracker: Tracker) {}
  async execute(args: { key: string; failFirst?: boolean }, ctx: TaskContext) {
    this.tracker.order.set('held', [...(this.tracker.order.get('held') ?? []), Number(args.key)]);
    if (args.failFirst && ctx.attempt === 1) throw new Error('first attempt fails');
    await held.get(args.key)?.promise;
  }
}

let app: TestApp | undefined;
closeAfterEach(
  () => app,
  () => {
    held.clear();
    jest.useRealTimers();
  },
);
const start = (queue = {}) =>
  startTestApp({ queue, providers: [Tracker, StepTask, HeldTask] }).then((started) => (app = started));

it('never overlaps tasks of one partition, keeps their order, and runs partitions in parallel', async () => {
  const { scheduler } = await start({ concurrency: 10 });
  const partitions = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'];
  const items = [];
  for (let seq = 0; seq < 12; seq++) {
    for (const partition of partitions) items.push({ partition, seq, ms: (seq * 7 + partition.length) % 4 });
  }
  // Interleave single schedules and a batch: order is scheduling order either way.
  for (const args of items.slice(0, 30)) await scheduler.schedule(StepTask, args, { partitionKey: args.partition });
  await scheduler.scheduleMany(
    items.slice(30).map((args) => ({ handler: StepTask, args, options: { partitionKey: args.partition } })),
  );
  await scheduler.whenIdle();
  const tracker = app!.app.get(Tracker);
  expect(tracker.maxPerPartition).toBe(1);
  expect(tracker.maxOverall).toBeGreaterThan(1);
  for (const partition of partitions) expect(tracker.order.get(partition)).toEqual([...Array(12).keys()]);
});

it('lets unpartitioned tasks run beside a busy partition', async () => {
  const { scheduler } = await start({ concurrency: 4 });
  held.set('1', gate());
  await scheduler.schedule(HeldTask, { key: '1' }, { partitionKey: 'p' });
  await scheduler.schedule(HeldTask, { key: '2' }, { partitionKey: 'p' });
  await scheduler.schedule(HeldTask, { key: '3' });
  await app!.nextEvent((e) => e.type === 'succeeded');
  expect(app!.app.get(Tracker).order.get('held')).toEqual([1, 3]);
  held.get('1')!.open();
  await scheduler.whenIdle();
  expect(app!.app.get(Tracker).order.get('held')).toEqual([1, 3, 2]);
});

it('keeps a partition for a task waiting for its retry (fake clock)', async () => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  const { scheduler } = await start({ concurrency: 4 });
  await scheduler.schedule(
    HeldTask,
    { key: '1', failFirst: true },
    { partitionKey: 'p', maxRetries: 1, retryStrategy: new FixedDelayRetryStrategy(1_000) },
  );
  await scheduler.schedule(HeldTask, { key: '2' }, { partitionKey: 'p' });
  await scheduler.whenIdle();
  expect(app!.app.get(Tracker).order.get('held')).toEqual([1]);
  await jest.advanceTimersByTimeAsync(1_000);
  await scheduler.whenIdle();
  expect(app!.app.get(Tracker).order.get('held')).toEqual([1, 1, 2]);
});
