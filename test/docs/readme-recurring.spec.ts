import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { Recurring, TaskHandler, TaskQueueModule, TaskScheduler, type ITaskHandler } from 'nest-task-queue';

const sent: string[] = [];

// Weekdays at 9:00 in Berlin, once per cluster however many replicas run. The key defaults to the class name.
@Recurring({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' })
@TaskHandler()
export class DailyReportTask implements ITaskHandler<{ tenant: number } | undefined> {
  execute(args: { tenant: number } | undefined) {
    sent.push(args === undefined ? 'all tenants' : `tenant ${args.tenant}`);
  }
}

it('runs the declared schedule and one added at run time', async () => {
  jest.useFakeTimers({ now: new Date('2030-01-07T07:00:00Z') }); // a Monday, 8:00 in Berlin
  const moduleRef = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot()],
    providers: [DailyReportTask],
  }).compile();
  const app = await moduleRef.init();
  const scheduler = app.get(TaskScheduler);

  // One schedule per tenant, made at run time: hourly from 7:15 UTC, for the day.
  await scheduler.scheduleRecurring(
    'report:tenant-42',
    DailyReportTask,
    { tenant: 42 },
    {
      every: 60 * 60_000,
      startAt: new Date('2030-01-07T07:15:00Z'),
      endAt: new Date('2030-01-07T23:59:00Z'),
      misfire: 'skip', // after downtime, only the next future occurrence runs
    },
  );
  expect((await scheduler.listRecurring()).map((r) => r.key)).toEqual(['DailyReportTask', 'report:tenant-42']);

  await jest.advanceTimersByTimeAsync(2 * 60 * 60_000);
  expect(sent).toEqual(['tenant 42', 'all tenants', 'tenant 42']);

  // Each occurrence is an ordinary task, with the id `<key>@<time>`.
  const daily = await scheduler.getRecurring('DailyReportTask');
  expect(daily?.lastTaskId).toBe('DailyReportTask@2030-01-07T08:00:00.000Z');
  expect(daily?.nextRunAt).toEqual(new Date('2030-01-08T08:00:00Z'));
  expect(await scheduler.getTask(daily!.lastTaskId!)).toMatchObject({ status: 'succeeded' });

  expect(await scheduler.removeRecurring('report:tenant-42')).toBe(true);
  await app.close();
  jest.useRealTimers();
});
