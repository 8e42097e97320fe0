import type { RecurringRecord } from '../../interfaces/recurring-store.interface.js';

/** A schedule row as the store's statements select it (the definition as JSON text). */
export interface ScheduleRow {
  key: string;
  handler: string;
  definition: string;
  fingerprint: string;
  next_run_at: number | null;
  last_run_at: number | null;
  last_task_id: string | null;
  previous_run_at: number | null;
  previous_task_id: string | null;
}

export function decodeSchedule(row: ScheduleRow): RecurringRecord {
  const record: RecurringRecord = {
    key: row.key,
    handler: row.handler,
    definition: JSON.parse(row.definition),
    fingerprint: row.fingerprint,
    nextRunAt: row.next_run_at,
  };
  if (row.last_run_at !== null) record.lastRunAt = row.last_run_at;
  if (row.last_task_id !== null) record.lastTaskId = row.last_task_id;
  if (row.previous_run_at !== null) record.previousRunAt = row.previous_run_at;
  if (row.previous_task_id !== null) record.previousTaskId = row.previous_task_id;
  return record;
}
