import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import type { RecurringOptions } from '../../interfaces/recurring-options.interface.js';
import { checkKnownKeys } from '../../validation/known-keys.validator.js';
import {
  checkOption,
  checkOptional,
  isIntegerFrom,
  isPlainObject,
  type OptionPredicate,
} from '../../validation/option.validator.js';
import { checkText, MAX_KEY_LENGTH } from '../../validation/text.validator.js';
import { RecurringMessages } from './recurring.messages.js';
import { cronProblem, isTimeZone } from './recurring-timeline.js';

/** The shortest `every`: a schedule is a task per occurrence, and a store round trip or two each. */
export const MIN_EVERY_MS = 1_000;
/** The longest `every`, 100 years: far below where a Date (an occurrence's id) ends. */
export const MAX_EVERY_MS = 100 * 365.25 * 24 * 60 * 60_000;
/** Room in a task id (MAX_KEY_LENGTH) for `@` and an ISO time after the key. */
export const MAX_RECURRING_KEY_LENGTH = MAX_KEY_LENGTH - '@2000-01-01T00:00:00.000Z'.length;

/** Every key of RecurringOptions (the compiler checks the list is complete). */
const KEYS: ReadonlySet<string> = new Set(
  Object.keys({
    cron: true,
    every: true,
    timezone: true,
    startAt: true,
    endAt: true,
    misfire: true,
    overlap: true,
    name: true,
    timeout: true,
    maxRetries: true,
    retryStrategy: true,
    partitionKey: true,
    priority: true,
    metadata: true,
  } satisfies Record<keyof RecurringOptions, true>),
);
/** schedule() options that a recurring schedule decides itself. */
const NOT_HERE = ['delay', 'runAt', 'taskId', 'transaction'];

const isValidDate: OptionPredicate = (v) => v instanceof Date && Number.isFinite(v.getTime());
const isMisfire: OptionPredicate = (v) => v === 'skip' || v === 'once' || v === 'all';
const isBoolean: OptionPredicate = (v) => typeof v === 'boolean';
const isEvery: OptionPredicate = (v) => isIntegerFrom(MIN_EVERY_MS)(v) && (v as number) <= MAX_EVERY_MS;

/** Throws `InvalidTaskOptionsError` naming the key unless occurrence ids can be made of it. */
export function checkRecurringKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '' || key.includes('@'))
    throw new InvalidTaskOptionsError(RecurringMessages.badKey(key));
  checkText('key', key, MAX_RECURRING_KEY_LENGTH);
}

/**
 * The checks of a schedule's own options; those each occurrence shares with `schedule()` (timeout, retries,
 * partitionKey, ...) are checked by the task builder, as for any task.
 */
export function checkRecurringOptions(o: RecurringOptions): void {
  checkOption('options', o, isPlainObject, 'an object of recurring options ({ cron } or { every }, ...)');
  for (const option of NOT_HERE)
    if (option in o) throw new InvalidTaskOptionsError(RecurringMessages.notForRecurring(option));
  checkKnownKeys('recurring', o, KEYS);
  if ((o.cron === undefined) === (o.every === undefined))
    throw new InvalidTaskOptionsError(RecurringMessages.cronOrEvery(o.cron !== undefined));
  if (o.cron !== undefined) {
    const problem = typeof o.cron === 'string' ? cronProblem(o.cron) : 'not a string';
    if (problem !== undefined) throw new InvalidTaskOptionsError(RecurringMessages.badCron(o.cron, problem));
  }
  checkOptional(
    'every',
    o.every,
    isEvery,
    `an integer number of ms from ${MIN_EVERY_MS} up to ${MAX_EVERY_MS} (100 years)`,
  );
  checkOptional('timezone', o.timezone, isTimeZone, 'an IANA time zone such as "Europe/Berlin"');
  checkOptional('startAt', o.startAt, isValidDate, 'a valid Date');
  checkOptional('endAt', o.endAt, isValidDate, 'a valid Date');
  if (o.startAt !== undefined && o.endAt !== undefined && o.endAt.getTime() <= o.startAt.getTime())
    throw new InvalidTaskOptionsError(RecurringMessages.endBeforeStart(o.startAt, o.endAt));
  checkOptional('misfire', o.misfire, isMisfire, "'skip', 'once' or 'all'");
  checkOptional('overlap', o.overlap, isBoolean, 'true or false');
}
