import type { NewTask, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { TaskStatus } from '../../interfaces/task-status.js';

/** Values per task in script replies: the id, then the hash fields in the prelude's FIELDS order. */
export const RECORD_WIDTH = 14;

type Reply = string | number | null;

/** The fields no script reads, kept as one JSON string (the scripts only move it). */
interface FixedFields {
  name?: string;
  args?: unknown;
  maxRetries: number;
  timeout?: number;
  retryStrategy?: TaskRecord['retryStrategy'];
  metadata?: Record<string, unknown>;
}

/** A new task as the add script's 7 arguments. */
export function encodeTask(task: NewTask): string[] {
  const fixed: FixedFields = {
    name: task.name,
    args: task.args,
    maxRetries: task.maxRetries,
    timeout: task.timeout,
    retryStrategy: task.retryStrategy,
    metadata: task.metadata,
  };
  return [task.id, task.handler, String(task.priority), task.partitionKey ?? '', String(task.runAt), String(task.createdAt), JSON.stringify(fixed)];
}

/** JSON of a result or error; '' for undefined (the scripts then store nothing). */
export function encodeValue(value: unknown): string {
  return value === undefined ? '' : (JSON.stringify(value) ?? '');
}

/** Decodes the records in a flat script reply, from `start`. */
export function decodeRecords(reply: Reply[], start: number): TaskRecord[] {
  const records: TaskRecord[] = [];
  for (let i = start; i + RECORD_WIDTH <= reply.length; i += RECORD_WIDTH) records.push(decodeRecord(reply, i));
  return records;
}

/** One record: reply[at] is the id, then d h s p k r c a st f t e x. */
export function decodeRecord(reply: Reply[], at: number): TaskRecord {
  const fixed = JSON.parse(reply[at + 1] as string) as FixedFields;
  const record: TaskRecord = {
    id: reply[at] as string,
    handler: reply[at + 2] as string,
    name: fixed.name,
    args: fixed.args,
    status: reply[at + 3] as TaskStatus,
    priority: Number(reply[at + 4]),
    runAt: Number(reply[at + 6]),
    createdAt: Number(reply[at + 7]),
    attempts: Number(reply[at + 8]),
    maxRetries: fixed.maxRetries,
  };
  if (reply[at + 5] !== null) record.partitionKey = reply[at + 5] as string;
  if (reply[at + 9] !== null) record.startedAt = Number(reply[at + 9]);
  if (reply[at + 10] !== null) record.finishedAt = Number(reply[at + 10]);
  if (reply[at + 11] !== null) record.leaseToken = String(reply[at + 11]);
  if (reply[at + 12] !== null) record.lastError = JSON.parse(reply[at + 12] as string);
  if (reply[at + 13] !== null) record.result = JSON.parse(reply[at + 13] as string);
  if (fixed.timeout !== undefined) record.timeout = fixed.timeout;
  if (fixed.retryStrategy !== undefined) record.retryStrategy = fixed.retryStrategy;
  if (fixed.metadata !== undefined) record.metadata = fixed.metadata;
  return record;
}
