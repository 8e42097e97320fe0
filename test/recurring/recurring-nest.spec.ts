import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  InMemoryTaskStore,
  Recurring,
  TaskHandler,
  TaskQueueModule,
  TaskScheduler,
  type ITaskHandler,
  type TaskContext,
} from '../../lib/index.js';

const START = new Date('2026-01-05T00:00:00Z');

@Injectable()
class Log {
  readonly runs: { key: unknown; args: unknown; at: string }[] = [];
}

@Recurring({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' })
@Recurring({ key: 'digest:eu', every: 60 * 60_000, args: { region: 'eu' } })
@TaskHandler()
class DailyReportTask implements ITaskHandler<{ region: string } | undefined> {
  constructor(private readonly log: Log) {}
  execute(args: { region: string } | undefined, ctx: TaskContext) {
    this.log.runs.push({ key: ctx.metadata?.recurringKey, args, at: new Date(Date.now()).toISOString() });
  }
}

@Recurring({ key: 'old', every: 60_000 })
@TaskHandler()
class RetiredTask implements ITaskHandler {
  execute() {}
}

async function boot(store: InMemoryTaskStore, providers: unknown[], pruneRecurring?: boolean) {
  const moduleRef = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot({ logger: 'error', store, pruneRecurring })],
    providers: [Log, ...(providers as [])],
  }).compile();
  return moduleRef.init();
}

describe('@Recurring()', () => {
  beforeEach(() => jest.useFakeTimers({ now: START }));
  afterEach(() => jest.useRealTimers());

  it('declares schedules upserted at start-up: key defaults to the handler name, args given to each occurrence', async () => {
    const store = new InMemoryTaskStore();
    const app = await boot(store, [DailyReportTask]);
    const scheduler = app.get(TaskScheduler);
    expect((await scheduler.listRecurring()).map((r) => [r.key, r.handler, r.nextRunAt?.toISOString()])).toEqual([
      ['DailyReportTask', 'DailyReportTask', '2026-01-05T08:00:00.000Z'],
      ['digest:eu', 'DailyReportTask', '2026-01-05T01:00:00.000Z'],
    ]);
    await jest.advanceTimersByTimeAsync(9 * 60 * 60_000);
    const runs = app.get(Log).runs;
    expect(runs.filter((r) => r.key === 'DailyReportTask')).toEqual([
      { key: 'DailyReportTask', args: undefined, at: '2026-01-05T08:00:00.000Z' },
    ]);
    expect(runs.filter((r) => r.key === 'digest:eu')).toHaveLength(9);
    expect(runs.find((r) => r.key === 'digest:eu')?.args).toEqual({ region: 'eu' });
    await app.close();
  });

  it('a restart upserts the same schedules without moving their times (the every grid stays)', async () => {
    const store = new InMemoryTaskStore();
    const first = await boot(store, [DailyReportTask]);
    await jest.advanceTimersByTimeAsync(90 * 60_000);
    await first.close();
    const second = await boot(store, [DailyReportTask]);
    const digest = await second.get(TaskScheduler).getRecurring('digest:eu');
    expect(digest?.nextRunAt?.toISOString()).toBe('2026-01-05T02:00:00.000Z');
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(second.get(Log).runs.map((r) => r.at)).toEqual(['2026-01-05T02:00:00.000Z']);
    await second.close();
  });

  it('a redeploy with another cron changes the schedule at start-up (the occurrence of the old cron goes)', async () => {
    @Recurring({ key: 'nightly', cron: '0 3 * * *' })
    @TaskHandler('nightly')
    class NightlyV1 implements ITaskHandler {
      execute() {}
    }
    @Recurring({ key: 'nightly', cron: '0 1 * * *' })
    @TaskHandler('nightly')
    class NightlyV2 implements ITaskHandler {
      execute() {}
    }
    const store = new InMemoryTaskStore();
    await (await boot(store, [NightlyV1])).close();
    const v2 = await boot(store, [NightlyV2]);
    expect(await v2.get(TaskScheduler).getRecurring('nightly')).toMatchObject({
      cron: '0 1 * * *',
      nextRunAt: new Date('2026-01-05T01:00:00Z'),
    });
    expect((await v2.get(TaskScheduler).getTask('nightly@2026-01-05T03:00:00.000Z'))?.status).toBe('cancelled');
    await v2.close();
  });

  it('a declared key gone from the code stays, unless pruneRecurring: true', async () => {
    const store = new InMemoryTaskStore();
    await (await boot(store, [DailyReportTask, RetiredTask])).close();
    const kept = await boot(store, [DailyReportTask]);
    expect((await kept.get(TaskScheduler).listRecurring()).map((r) => r.key)).toContain('old');
    await kept.get(TaskScheduler).scheduleRecurring('runtime', DailyReportTask, { region: 'us' }, { every: 60_000 });
    await kept.close();
    const pruned = await boot(store, [DailyReportTask], true);
    // Only declared ones are pruned: one made at run time stays.
    expect((await pruned.get(TaskScheduler).listRecurring()).map((r) => r.key)).toEqual([
      'DailyReportTask',
      'digest:eu',
      'runtime',
    ]);
    await pruned.close();
  });
});
