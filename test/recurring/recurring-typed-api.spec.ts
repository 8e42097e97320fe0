// Type-level checks of the recurring API, whose names are the contract: `npm run typecheck` fails if a
// line under an expect-error directive compiles, or an unmarked one does not.
import {
  Recurring,
  TaskHandler,
  type ITaskHandler,
  type MisfirePolicy,
  type RecurringInfo,
  type RecurringOptions,
  type TaskScheduler,
} from '../../lib/index.js';

@Recurring({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' })
@Recurring({ key: 'report:eu', every: 60_000, args: { tenant: 1 } })
@TaskHandler()
class DailyReportTask implements ITaskHandler<{ tenant: number } | undefined> {
  execute(args: { tenant: number } | undefined) {
    void args;
  }
}

async function typeChecks(scheduler: TaskScheduler, startAt: Date, endAt: Date): Promise<void> {
  const info: RecurringInfo = await scheduler.scheduleRecurring(
    'report:tenant-42',
    DailyReportTask,
    { tenant: 42 },
    {
      cron: '0 9 * * *',
      timezone: 'America/New_York',
      startAt,
      endAt,
      misfire: 'once',
      overlap: false,
      timeout: 1_000,
      maxRetries: 2,
      partitionKey: 'p',
      priority: 1,
      metadata: { a: 1 },
    },
  );
  void info;
  // @ts-expect-error args are typed from the handler's execute()
  void scheduler.scheduleRecurring('k', DailyReportTask, { tenant: '42' }, { every: 60_000 });
  // @ts-expect-error delay, runAt and taskId are not recurring options
  void scheduler.scheduleRecurring('k', DailyReportTask, undefined, { every: 60_000, delay: 5 });
  const removed: boolean = await scheduler.removeRecurring('k');
  const one: RecurringInfo | undefined = await scheduler.getRecurring('k');
  const all: RecurringInfo[] = await scheduler.listRecurring();
  void [removed, one, all];
}

/** RecurringInfo's fields, exactly: a field missing here, or one more in the interface, fails the typecheck. */
const INFO_FIELDS = {
  key: true,
  handler: true,
  args: true,
  cron: true,
  every: true,
  timezone: true,
  startAt: true,
  endAt: true,
  misfire: true,
  overlap: true,
  nextRunAt: true,
  lastRunAt: true,
  lastTaskId: true,
} satisfies Record<keyof RecurringInfo, true>;

/** The options the issue names, and misfire's values. */
const OPTIONS: Required<Omit<RecurringOptions, 'cron' | 'retryStrategy' | 'name'>> = {
  every: 60_000,
  timezone: 'UTC',
  startAt: new Date(0),
  endAt: new Date(1),
  misfire: 'skip' satisfies MisfirePolicy,
  overlap: true,
  timeout: 1,
  maxRetries: 0,
  partitionKey: 'p',
  priority: 0,
  metadata: {},
};

it('the recurring API has the names of the contract', () => {
  expect(typeof typeChecks).toBe('function');
  expect(Object.keys(INFO_FIELDS)).toHaveLength(13);
  expect(OPTIONS.misfire).toBe('skip');
  // Required keys of RecurringInfo: present in every answer, nextRunAt too (undefined once the schedule ended).
  const required: Pick<RecurringInfo, 'key' | 'handler' | 'args' | 'misfire' | 'overlap' | 'nextRunAt'> = {
    key: 'k',
    handler: 'h',
    args: undefined,
    misfire: 'once',
    overlap: false,
    nextRunAt: undefined,
  };
  expect(Object.keys(required)).toContain('nextRunAt');
});
