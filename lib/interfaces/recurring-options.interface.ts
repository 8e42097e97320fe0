import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';

/**
 * What a schedule does with occurrences missed while no worker ran (or, with `overlap: false`, while the previous
 * occurrence still ran): 'skip' runs the next future occurrence only; 'once' runs one now for all that were
 * missed, then carries on; 'all' runs each missed occurrence, one after another (at most 1,000, then as 'once').
 */
export type MisfirePolicy = 'skip' | 'once' | 'all';

/** Options of `scheduleRecurring()` and `@Recurring()`. Exactly one of `cron` and `every`. */
export interface RecurringOptions {
  /** A cron expression (5 fields, or 6 with seconds first), e.g. `'0 9 * * 1-5'`. Not with `every`. */
  cron?: string;
  /** An interval in ms, from 1,000 to 100 years: the first at `startAt`, else one interval from now. Not with `cron`. */
  every?: number;
  /** The IANA time zone a `cron` follows (`'Europe/Berlin'`), DST included. Default UTC. */
  timezone?: string;
  /** No occurrence before this time. */
  startAt?: Date;
  /** No occurrence after this time; the schedule then stays, with no next run. */
  endAt?: Date;
  /** Default 'once'. */
  misfire?: MisfirePolicy;
  /**
   * Whether an occurrence may start while the previous one is still pending or running. Default false: it waits
   * until that one ends, then starts at once (the occurrences run in one partition, `partitionKey` if you give one,
   * else `recurring:<key>`). Those that came due meanwhile follow `misfire`: 'all' runs each in turn; 'skip' and
   * 'once' go on to the next future one, the late one having run for them.
   */
  overlap?: boolean;
  /** As for `schedule()`: each occurrence's label, timeout, retries, partition, priority and metadata. */
  name?: string;
  timeout?: number;
  maxRetries?: number;
  retryStrategy?: IRetryStrategy;
  partitionKey?: string;
  priority?: number;
  metadata?: Record<string, unknown>;
}

/** A recurring schedule, as `getRecurring()` and `listRecurring()` return it. */
export interface RecurringInfo {
  key: string;
  handler: string;
  args: unknown;
  cron?: string;
  every?: number;
  timezone?: string;
  startAt?: Date;
  endAt?: Date;
  misfire: MisfirePolicy;
  overlap: boolean;
  /** When the next occurrence runs; undefined once the schedule ended (`endAt`, or a cron with no next time). */
  nextRunAt: Date | undefined;
  /** The time of the last occurrence that came due, and its task's id. */
  lastRunAt?: Date;
  lastTaskId?: string;
}
