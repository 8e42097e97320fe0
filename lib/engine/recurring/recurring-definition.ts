import type { MisfirePolicy, RecurringInfo, RecurringOptions } from '../../interfaces/recurring-options.interface.js';
import type { RecurringRecord } from '../../interfaces/recurring-store.interface.js';
import type { ScheduleOptions } from '../../interfaces/schedule-options.interface.js';
import type { RecurringTiming } from './recurring-timeline.js';

/** The options each occurrence is scheduled with (those of `schedule()` that make sense here). */
export type OccurrenceOptions = Pick<
  ScheduleOptions,
  'name' | 'timeout' | 'maxRetries' | 'retryStrategy' | 'partitionKey' | 'priority' | 'metadata'
>;

/** What a store keeps as a schedule's `definition`: plain data (JSON on the durable stores). */
export interface RecurringDefinition extends RecurringTiming {
  args: unknown;
  misfire: MisfirePolicy;
  overlap: boolean;
  task: OccurrenceOptions;
  /** Declared by @Recurring() (only these are pruned with `pruneRecurring`). */
  declared?: true;
}

const OCCURRENCE_KEYS = [
  'name',
  'timeout',
  'maxRetries',
  'retryStrategy',
  'partitionKey',
  'priority',
  'metadata',
] as const;

/** The definition of checked options. */
export function toDefinition(args: unknown, options: RecurringOptions, declared: boolean): RecurringDefinition {
  const task: OccurrenceOptions = {};
  for (const key of OCCURRENCE_KEYS)
    if (options[key] !== undefined) (task as Record<string, unknown>)[key] = options[key];
  const definition: RecurringDefinition = {
    args,
    misfire: options.misfire ?? 'once',
    overlap: options.overlap ?? false,
    task,
  };
  if (options.cron !== undefined) definition.cron = options.cron;
  if (options.every !== undefined) definition.every = options.every;
  if (options.timezone !== undefined) definition.timezone = options.timezone;
  if (options.startAt !== undefined) definition.startAt = options.startAt.getTime();
  if (options.endAt !== undefined) definition.endAt = options.endAt.getTime();
  if (declared) definition.declared = true;
  return definition;
}

/** The timing part, as one string: an upsert that keeps it keeps the schedule's times. */
export function fingerprintOf(d: RecurringTiming): string {
  return JSON.stringify([d.cron ?? null, d.every ?? null, d.timezone ?? null, d.startAt ?? null, d.endAt ?? null]);
}

/** The id of the occurrence at `at`: deterministic, so adding it twice adds it once. */
export function occurrenceId(key: string, at: number): string {
  return `${key}@${new Date(at).toISOString()}`;
}

const date = (ms: number | undefined | null): Date | undefined =>
  ms === undefined || ms === null ? undefined : new Date(ms);

/**
 * The public view. The store's record may hold an occurrence added ahead (lastRunAt in the future): that is the
 * next run, and the one before it the last, if it came due (not one a timing change cancelled before its time).
 */
export function toRecurringInfo(record: RecurringRecord, now: number): RecurringInfo {
  const d = record.definition as RecurringDefinition;
  const { lastRunAt: last, previousRunAt: previous } = record;
  const later = last !== undefined && last > now;
  // One ahead and past endAt is one a change of endAt cancelled (no step adds one there): as if never added.
  const voided = later && d.endAt !== undefined && last > d.endAt;
  const ahead = later && !voided;
  const info: RecurringInfo = {
    key: record.key,
    handler: record.handler,
    args: d.args,
    misfire: d.misfire,
    overlap: d.overlap,
    nextRunAt: date(ahead ? last : record.nextRunAt),
  };
  if (d.cron !== undefined) info.cron = d.cron;
  if (d.every !== undefined) info.every = d.every;
  if (d.timezone !== undefined) info.timezone = d.timezone;
  if (d.startAt !== undefined) info.startAt = new Date(d.startAt);
  if (d.endAt !== undefined) info.endAt = new Date(d.endAt);
  const previousCameDue = previous !== undefined && previous <= now;
  const shifted = ahead || voided;
  const lastRunAt = shifted ? (previousCameDue ? previous : undefined) : last;
  const lastTaskId = shifted ? (previousCameDue ? record.previousTaskId : undefined) : record.lastTaskId;
  if (lastRunAt !== undefined) info.lastRunAt = new Date(lastRunAt);
  if (lastTaskId !== undefined) info.lastTaskId = lastTaskId;
  return info;
}
