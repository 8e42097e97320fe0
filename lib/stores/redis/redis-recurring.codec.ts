import type { RecurringRecord, RecurringStep } from '../../interfaces/recurring-store.interface.js';
import { encodeTask } from './redis-task.codec.js';

type Reply = string | number | null;
/** Values per schedule in replies: the key, then lua/recurring.lua.ts's SCHEDULE_FIELDS. */
export const SCHEDULE_WIDTH = 9;

const time = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(value));
const optional = (value: Reply): string | undefined => (value === null || value === '' ? undefined : String(value));

/** The put script's arguments. */
export function putArgs(record: RecurringRecord): string[] {
  const { key, handler, definition, fingerprint, nextRunAt } = record;
  return [key, handler, JSON.stringify(definition), fingerprint, time(nextRunAt)];
}

/** The advance script's arguments; `offset` moves the task's runAt onto Redis's clock (as add does). */
export function advanceArgs(step: RecurringStep, offset: number): string[] {
  const args = [
    step.key,
    time(step.expectedNextRunAt),
    step.expectedLastTaskId ?? '',
    step.expectedLast === 'unstarted' ? 'u' : 's',
    step.cancelLast ? '1' : '0',
    step.task === undefined ? '' : time(step.runAt),
    time(step.nextRunAt),
  ];
  if (step.task !== undefined) args.push(String(offset), '', '1', ...encodeTask(step.task));
  return args;
}

/** The schedules of a reply, from `at` on. */
export function decodeSchedules(reply: Reply[], at: number): RecurringRecord[] {
  const records: RecurringRecord[] = [];
  for (let i = at; i + SCHEDULE_WIDTH <= reply.length; i += SCHEDULE_WIDTH) records.push(decodeSchedule(reply, i));
  return records;
}

function decodeSchedule(reply: Reply[], i: number): RecurringRecord {
  const [key, handler, definition, fingerprint, next, last, lastId, previous, previousId] = reply.slice(i, i + 9);
  const record: RecurringRecord = {
    key: String(key),
    handler: String(handler),
    definition: JSON.parse(String(definition)),
    fingerprint: String(fingerprint),
    nextRunAt: optional(next) === undefined ? null : Number(next),
  };
  if (optional(last) !== undefined) record.lastRunAt = Number(last);
  if (optional(lastId) !== undefined) record.lastTaskId = String(lastId);
  if (optional(previous) !== undefined) record.previousRunAt = Number(previous);
  if (optional(previousId) !== undefined) record.previousTaskId = String(previousId);
  return record;
}
