import { jest } from '@jest/globals';
import {
  createTaskQueue,
  defineTask,
  FixedDelayRetryStrategy,
  InMemoryTaskStore,
  TaskStatus,
  type TaskContext,
  type TaskQueue,
} from '../../lib/index.js';
import { RecurringMessages } from '../../lib/engine/recurring/recurring.messages.js';

/** Recurring schedules in memory under jest's fake timers: an hour of fake time takes milliseconds. */
const START = new Date('2026-01-05T00:00:00Z');
const HOUR = 60 * 60_000;

let queues: TaskQueue[] = [];
let runs: { key: unknown; at: number; taskId: string }[] = [];

beforeEach(() => {
  jest.useFakeTimers({ now: START });
  runs = [];
});

afterEach(async () => {
  // Running occurrences finish in fake time while the queues drain.
  const closing = Promise.all(queues.splice(0).map((queue) => queue.close()));
  await jest.advanceTimersByTimeAsync(HOUR);
  await closing;
  jest.useRealTimers();
});

interface StartOptions {
  store?: InMemoryTaskStore;
  /** How long each run takes (fake ms). */
  takes?: number;
  autoStart?: boolean;
}

async function start(options: StartOptions = {}): Promise<TaskQueue> {
  const queue = createTaskQueue({ store: options.store, logLevel: false, autoStart: options.autoStart });
  queue.registerHandler('report', {
    execute: async (_args: unknown, ctx: TaskContext) => {
      runs.push({ key: ctx.metadata?.recurringKey, at: Date.now(), taskId: ctx.taskId });
      if (options.takes !== undefined) await new Promise((resolve) => setTimeout(resolve, options.takes));
    },
  });
  queues.push(queue);
  await queue.start();
  return queue;
}

const minutes = (at: number) => (at - START.getTime()) / 60_000;

describe('a recurring schedule in memory', () => {
  it('every: 60_000 over an hour of fake time runs 60 times, one interval apart', async () => {
    const queue = await start();
    await queue.scheduleRecurring('tick', 'report', undefined, { every: 60_000 });
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(runs).toHaveLength(60);
    expect(runs.map((r) => minutes(r.at))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(runs.map((r) => r.taskId)).size).toBe(60);
  });

  it("'*/5 * * * *' over an hour runs 12 times, at :05, :10, ... :00", async () => {
    const queue = await start();
    await queue.scheduleRecurring('five', 'report', undefined, { cron: '*/5 * * * *' });
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(runs.map((r) => minutes(r.at))).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  });

  it('each occurrence is an ordinary task: id key@time, metadata.recurringKey, visible to getTask', async () => {
    const queue = await start();
    await queue.scheduleRecurring('tick', 'report', { n: 1 }, { every: 60_000, metadata: { team: 'ops' } });
    await jest.advanceTimersByTimeAsync(60_000);
    const id = 'tick@2026-01-05T00:01:00.000Z';
    expect(runs).toEqual([{ key: 'tick', at: START.getTime() + 60_000, taskId: id }]);
    await queue.whenIdle();
    expect(await queue.getTask(id)).toMatchObject({
      status: TaskStatus.Succeeded,
      args: { n: 1 },
      metadata: { team: 'ops', recurringKey: 'tick' },
    });
    // One occurrence ahead, never more.
    expect((await queue.listTasks({ status: TaskStatus.Pending })).map((t) => t.id)).toEqual([
      'tick@2026-01-05T00:02:00.000Z',
    ]);
  });

  it('an occurrence is timed out, retried and seen by observers like any task; the schedule carries on', async () => {
    const queue = createTaskQueue({ logLevel: false });
    queues.push(queue);
    queue.registerHandler('hangs-once', {
      // The first attempt of each occurrence waits until its signal aborts (the timeout); the retry succeeds at once.
      execute: (_args: unknown, ctx: TaskContext) =>
        ctx.attempt > 1
          ? undefined
          : new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
    });
    const events: { type: string; taskId: string; attempt: number; recurringKey: unknown; error?: string }[] = [];
    queue.observe({
      onTaskEvent: (event, task) =>
        events.push({
          type: event.type,
          taskId: event.taskId,
          attempt: event.attempt,
          recurringKey: task.metadata?.recurringKey,
          ...(event.error ? { error: event.error.name } : {}),
        }),
    });
    await queue.start();
    await queue.scheduleRecurring('beat', 'hangs-once', undefined, {
      every: 60_000,
      timeout: 5_000,
      maxRetries: 1,
      retryStrategy: new FixedDelayRetryStrategy(1_000),
    });
    await jest.advanceTimersByTimeAsync(2 * 60_000 + 10_000);
    const first = 'beat@2026-01-05T00:01:00.000Z';
    const second = 'beat@2026-01-05T00:02:00.000Z';
    const of = (id: string) =>
      events.filter((e) => e.taskId === id).map(({ type, attempt, error }) => [type, attempt, error]);
    const lifecycle = [
      ['scheduled', 0, undefined],
      ['started', 1, undefined],
      ['failed', 1, 'TaskTimeoutError'],
      ['started', 2, undefined],
      ['succeeded', 2, undefined],
    ];
    expect(of(first)).toEqual(lifecycle);
    expect(of(second)).toEqual(lifecycle);
    expect(events.every((e) => e.recurringKey === 'beat')).toBe(true);
    expect(await queue.getTask(first)).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2 });
  });

  it('a producer without the handler (a contract only) adds the first occurrence at once; the worker goes on', async () => {
    const store = new InMemoryTaskStore();
    await start({ store });
    const producer = createTaskQueue({ store, logLevel: false, autoStart: false });
    queues.push(producer);
    await producer.start();
    const report = defineTask<{ n: number }>('report');
    await producer.scheduleRecurring('contract', report, { n: 1 }, { every: 60_000 });
    expect((await producer.listTasks({ status: TaskStatus.Pending })).map((t) => t.id)).toEqual([
      'contract@2026-01-05T00:01:00.000Z',
    ]);
    await jest.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs.map((r) => r.taskId)).toEqual([
      'contract@2026-01-05T00:01:00.000Z',
      'contract@2026-01-05T00:02:00.000Z',
      'contract@2026-01-05T00:03:00.000Z',
    ]);
  });

  it('removeRecurring stops it (its next occurrence, not started yet, is cancelled)', async () => {
    const queue = await start();
    await queue.scheduleRecurring('tick', 'report', undefined, { every: 60_000 });
    await jest.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs).toHaveLength(3);
    expect(await queue.removeRecurring('tick')).toBe(true);
    expect(await queue.removeRecurring('tick')).toBe(false);
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(runs).toHaveLength(3);
    expect(await queue.getRecurring('tick')).toBeUndefined();
    expect((await queue.getTask('tick@2026-01-05T00:04:00.000Z'))?.status).toBe(TaskStatus.Cancelled);
  });

  it('a schedule removed and made again with its key runs the occurrence the removal cancelled', async () => {
    const queue = await start();
    await queue.scheduleRecurring('hourly', 'report', undefined, { cron: '0 * * * *' });
    expect(await queue.removeRecurring('hourly')).toBe(true);
    await queue.scheduleRecurring('hourly', 'report', undefined, { cron: '0 * * * *' });
    await jest.advanceTimersByTimeAsync(2 * HOUR);
    expect(runs.map((r) => r.taskId)).toEqual(['hourly@2026-01-05T01:00:00.000Z', 'hourly@2026-01-05T02:00:00.000Z']);
  });

  it('cancelling one occurrence does not stop the schedule', async () => {
    const queue = await start();
    await queue.scheduleRecurring('tick', 'report', undefined, { every: 60_000 });
    expect(await queue.cancel('tick@2026-01-05T00:01:00.000Z')).toBe(true);
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs.map((r) => minutes(r.at))).toEqual([2, 3, 4, 5]);
  });

  it('getRecurring and listRecurring say what the schedule is and when it runs next', async () => {
    const queue = await start();
    const startAt = new Date('2026-01-05T00:10:00Z');
    const info = await queue.scheduleRecurring('r', 'report', { a: 1 }, { every: 60_000, startAt });
    expect(info).toEqual({
      key: 'r',
      handler: 'report',
      args: { a: 1 },
      every: 60_000,
      startAt,
      misfire: 'once',
      overlap: false,
      nextRunAt: startAt,
    });
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(await queue.getRecurring('r')).toMatchObject({
      nextRunAt: new Date('2026-01-05T00:11:00Z'),
      lastRunAt: startAt,
      lastTaskId: 'r@2026-01-05T00:10:00.000Z',
    });
    expect((await queue.listRecurring()).map((r) => r.key)).toEqual(['r']);
  });

  it('overlap: false with a handler slower than the interval: never two at once, the next starts when one ends', async () => {
    const queue = await start({ takes: 150_000 });
    await queue.scheduleRecurring('slow', 'report', undefined, { every: 60_000 });
    await jest.advanceTimersByTimeAsync(HOUR);
    const starts = runs.map((r) => minutes(r.at));
    // 1:00 runs until 3:30; the occurrence of 2:00 waited and starts then, and so on, back to back.
    expect(starts.slice(0, 4)).toEqual([1, 3.5, 6, 8.5]);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(2.5);
    expect(queue.running).toBeLessThanOrEqual(1);
  });

  it.each([
    ['skip', [1, 2, 4, 7, 9]],
    ['once', [1, 2, 4, 7, 9]],
    ['all', [1, 2, 3, 4, 5]],
  ] as const)(
    "overlap: false, misfire '%s': the occurrences skipped while one ran follow misfire",
    async (misfire, ran) => {
      const queue = await start({ takes: 150_000 });
      await queue.scheduleRecurring('slow', 'report', undefined, { every: 60_000, misfire });
      await jest.advanceTimersByTimeAsync(11 * 60_000);
      // Each starts once the one before ended (1:00, 3:30, 6:00, ...); 'all' runs each occurrence in turn, the
      // others go on from the one that ran late (it ran for those due meanwhile: 3:00 while 2:00 ran from 3:30).
      expect(runs.map((r) => minutes(r.at))).toEqual([1, 3.5, 6, 8.5, 11]);
      expect(runs.map((r) => minutes(Date.parse(r.taskId.slice('slow@'.length))))).toEqual(ran);
    },
  );

  it('overlap: true lets a slow occurrence run beside the next', async () => {
    const queue = await start({ takes: 150_000 });
    await queue.scheduleRecurring('slow', 'report', undefined, { every: 60_000, overlap: true });
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.map((r) => minutes(r.at))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe("changing a schedule's timing (an upsert with another cron, every, timezone, startAt or endAt)", () => {
  const pending = async (queue: TaskQueue) => (await queue.listTasks({ status: TaskStatus.Pending })).map((t) => t.id);

  it('takes effect at once: the occurrence added for the old timing is cancelled, the new one added', async () => {
    const queue = await start();
    await queue.scheduleRecurring('r', 'report', undefined, { cron: '0 0 1 * *' }); // monthly: Feb 1 is next
    const info = await queue.scheduleRecurring('r', 'report', undefined, { cron: '0 * * * *' });
    expect(info).toMatchObject({ cron: '0 * * * *', nextRunAt: new Date('2026-01-05T01:00:00Z') });
    expect(info.lastRunAt).toBeUndefined();
    expect(await pending(queue)).toEqual(['r@2026-01-05T01:00:00.000Z']);
    expect((await queue.getTask('r@2026-02-01T00:00:00.000Z'))?.status).toBe(TaskStatus.Cancelled);
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    expect(runs.map((r) => minutes(r.at))).toEqual([60, 120, 180]);
  });

  it('an occurrence of the old timing between now and the new one does not run', async () => {
    jest.setSystemTime(new Date('2026-01-05T08:00:00Z'));
    const queue = await start();
    await queue.scheduleRecurring('daily', 'report', undefined, { cron: '0 9 * * *' });
    await queue.scheduleRecurring('daily', 'report', undefined, { cron: '0 10 * * *' });
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    expect(runs.map((r) => r.taskId)).toEqual(['daily@2026-01-05T10:00:00.000Z']);
  });

  it('a new endAt before the occurrence added ends the schedule', async () => {
    const queue = await start();
    await queue.scheduleRecurring('r', 'report', undefined, { every: HOUR });
    const info = await queue.scheduleRecurring('r', 'report', undefined, {
      every: HOUR,
      endAt: new Date(START.getTime() + 30 * 60_000),
    });
    expect(info.nextRunAt).toBeUndefined();
    expect(await pending(queue)).toEqual([]);
    await jest.advanceTimersByTimeAsync(3 * HOUR);
    expect(runs).toEqual([]);
  });

  it('a change that keeps the occurrence added (a later endAt) keeps its task', async () => {
    const queue = await start();
    await queue.scheduleRecurring('r', 'report', undefined, { cron: '0 * * * *' });
    const endAt = new Date(START.getTime() + 10 * HOUR);
    const info = await queue.scheduleRecurring('r', 'report', undefined, { cron: '0 * * * *', endAt });
    expect(info).toMatchObject({ endAt, nextRunAt: new Date(START.getTime() + HOUR) });
    expect((await queue.listTasks({ status: TaskStatus.Cancelled })).length).toBe(0);
    await jest.advanceTimersByTimeAsync(12 * HOUR);
    expect(runs.map((r) => minutes(r.at) / 60)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('an upsert with the same timing keeps the occurrence added (its other options apply from the next one)', async () => {
    const queue = await start();
    await queue.scheduleRecurring('r', 'report', { v: 1 }, { every: HOUR });
    const info = await queue.scheduleRecurring('r', 'report', { v: 2 }, { every: HOUR, priority: 5 });
    expect(info).toMatchObject({ args: { v: 2 }, nextRunAt: new Date(START.getTime() + HOUR) });
    expect(await pending(queue)).toEqual(['r@2026-01-05T01:00:00.000Z']);
    expect((await queue.listTasks({ status: TaskStatus.Cancelled })).length).toBe(0);
  });
});

describe('misfire: occurrences missed while no worker ran', () => {
  /** every minute from 0:01; the worker stops after 0:03 ran and a new one starts at 0:30. */
  async function downtime(misfire: 'skip' | 'once' | 'all'): Promise<number[]> {
    const store = new InMemoryTaskStore();
    const first = await start({ store });
    await first.scheduleRecurring('m', 'report', undefined, { every: 60_000, misfire });
    await jest.advanceTimersByTimeAsync(3 * 60_000);
    await first.close();
    queues = queues.filter((q) => q !== first);
    jest.setSystemTime(START.getTime() + 30 * 60_000 + 30_000);
    await start({ store });
    await jest.advanceTimersByTimeAsync(3 * 60_000);
    return runs.map((r) => minutes(r.at));
  }

  it("'skip' runs none of them, then the next future occurrence", async () => {
    expect(await downtime('skip')).toEqual([1, 2, 3, 31, 32, 33]);
  });

  it("'once' (the default) runs one now for all of them, then carries on", async () => {
    expect(await downtime('once')).toEqual([1, 2, 3, 30.5, 31, 32, 33]);
  });

  it("'all' runs each of them, one after another, then carries on", async () => {
    const ran = await downtime('all');
    expect(ran.slice(0, 3)).toEqual([1, 2, 3]);
    expect(ran.slice(3, 30)).toEqual(Array.from({ length: 27 }, () => 30.5));
    expect(ran.slice(30)).toEqual([31, 32, 33]);
    expect(new Set(runs.map((r) => r.taskId)).size).toBe(runs.length);
    expect(runs[29]!.taskId).toBe('m@2026-01-05T00:30:00.000Z');
  });

  it("'all' with more than 1,000 missed runs as 'once': one for all of them, with a warning, then carries on", async () => {
    const store = new InMemoryTaskStore();
    const warn = jest.fn();
    const first = await start({ store });
    await first.scheduleRecurring('m', 'report', undefined, { every: 1_000, misfire: 'all' });
    await first.close();
    queues = [];
    jest.setSystemTime(START.getTime() + 2 * HOUR); // 7,200 occurrences missed
    const queue = createTaskQueue({ store, logger: { log: jest.fn(), warn, error: jest.fn() } });
    queue.registerHandler('report', {
      execute: (_args: unknown, ctx: TaskContext) => void runs.push({ key: 'm', at: Date.now(), taskId: ctx.taskId }),
    });
    queues.push(queue);
    await queue.start();
    await jest.advanceTimersByTimeAsync(3_500);
    expect(warn).toHaveBeenCalledWith(RecurringMessages.capped('m', 1_000));
    const seconds = (at: number) => (at - START.getTime() - 2 * HOUR) / 1_000;
    // The occurrence added before the downtime runs now, for all of them; then one a second, as before.
    expect(runs.map((r) => [r.taskId, seconds(r.at)])).toEqual([
      ['m@2026-01-05T00:00:01.000Z', 0],
      ['m@2026-01-05T02:00:01.000Z', 1],
      ['m@2026-01-05T02:00:02.000Z', 2],
      ['m@2026-01-05T02:00:03.000Z', 3],
    ]);
  });
});

describe('time zones and DST (Europe/Berlin)', () => {
  const runsOf = async (cron: string, from: string, days: number) => {
    jest.setSystemTime(new Date(from));
    const queue = await start();
    await queue.scheduleRecurring('dst', 'report', undefined, { cron, timezone: 'Europe/Berlin' });
    await jest.advanceTimersByTimeAsync(days * 24 * HOUR);
    return runs.map((r) => new Date(r.at).toISOString());
  };

  it('fires at the wall-clock time of the zone, winter and summer', async () => {
    expect(await runsOf('0 9 * * *', '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('spring forward: an occurrence in the skipped hour runs once, at the first valid time after it', async () => {
    expect(await runsOf('30 2 * * *', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 did not exist
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('fall back: an occurrence in the repeated hour runs once', async () => {
    expect(await runsOf('30 2 * * *', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; not again at 02:30 CET
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('without timezone, UTC', async () => {
    jest.setSystemTime(START);
    const queue = await start();
    await queue.scheduleRecurring('utc', 'report', undefined, { cron: '0 9 * * *' });
    await jest.advanceTimersByTimeAsync(24 * HOUR);
    expect(runs.map((r) => new Date(r.at).toISOString())).toEqual(['2026-01-05T09:00:00.000Z']);
  });
});
