/** The messages of recurring schedules (tests import these). */
export const RecurringMessages = {
  cronOrEvery: (both: boolean) =>
    both
      ? 'Give either `cron` or `every` for a recurring schedule, not both.'
      : 'A recurring schedule needs `cron` (a cron expression) or `every` (an interval in ms).',
  badCron: (cron: unknown, reason: string) =>
    `Expected \`cron\` to be a cron expression (5 fields, or 6 with seconds first), got \`${JSON.stringify(cron)}\`: ${reason}`,
  endBeforeStart: (startAt: Date, endAt: Date) =>
    `Expected \`endAt\` (${endAt.toISOString()}) to be after \`startAt\` (${startAt.toISOString()}).`,
  notForRecurring: (option: string) =>
    `\`${option}\` makes no sense for a recurring schedule: each occurrence's id is <key>@<time> and its time comes from \`cron\` or \`every\` (use \`startAt\` for the first).`,
  badKey: (key: unknown) =>
    `Expected the recurring schedule's key to be a non-empty string without "@" (occurrence ids are <key>@<time>), got \`${typeof key === 'string' ? JSON.stringify(key) : String(key)}\``,
  duplicateKey: (key: string, first: string, second: string) =>
    `Two @Recurring() schedules have the key "${key}": on ${first} and on ${second}. Give one of them another \`key\`.`,
  unsupportedStore: (store: string) =>
    `${store} does not keep recurring schedules (it lacks putRecurring, getRecurring, listRecurring, removeRecurring and advanceRecurring); InMemoryTaskStore, RedisTaskStore and PostgresTaskStore do.`,
  capped: (key: string, max: number) =>
    `Recurring schedule "${key}" missed more than ${max} occurrences (misfire: 'all'): it runs one now for all of them, then carries on.`,
  stepFailed: (key: string, reason: string) =>
    `Recurring schedule "${key}": its next occurrence could not be added (${reason}); trying again shortly.`,
  pruned: (key: string) =>
    `Recurring schedule "${key}" was declared by @Recurring() and is no longer: removed (pruneRecurring).`,
} as const;
