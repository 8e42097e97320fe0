import type { TaskEvent } from '../../interfaces/task-event.interface.js';
import type { TaskLogKind } from './task-event-logger-options.interface.js';

/**
 * One structured log record per task event. Loggers that take objects (Nest's ConsoleLogger with
 * `json: true`, nestjs-pino) keep the fields, so logs can be filtered by `taskId` and `handler`.
 */
export interface TaskLogRecord {
  message: string;
  /** `task.scheduled`, `task.started`, `task.succeeded`, `task.retried`, `task.failed`, `task.cancelled`. */
  event: `task.${TaskLogKind}`;
  taskId: string;
  handler: string;
  name?: string;
  partitionKey?: string;
  attempt: number;
  latenessMs?: number;
  durationMs?: number;
  retryAt?: string;
  error?: { name: string; message: string; stack?: string };
  /** Only what the `args` option returned. */
  args?: unknown;
}

export function toTaskLogRecord(kind: TaskLogKind, event: TaskEvent): TaskLogRecord {
  const record: TaskLogRecord = {
    message: describe(kind, event),
    event: `task.${kind}`,
    taskId: event.taskId,
    handler: event.handler,
    attempt: event.attempt,
  };
  if (event.name !== undefined) record.name = event.name;
  if (event.partitionKey !== undefined) record.partitionKey = event.partitionKey;
  if (event.lateness !== undefined) record.latenessMs = event.lateness;
  if (event.duration !== undefined) record.durationMs = event.duration;
  if (event.retryAt !== undefined) record.retryAt = event.retryAt.toISOString();
  if (event.error !== undefined)
    record.error = kind === 'failed' ? { ...event.error } : { name: event.error.name, message: event.error.message };
  return record;
}

function describe(kind: TaskLogKind, event: TaskEvent): string {
  const task = `Task ${event.taskId} (${event.handler})`;
  switch (kind) {
    case 'scheduled':
      return `${task} scheduled`;
    case 'started':
      return `${task} started, attempt ${event.attempt}`;
    case 'succeeded':
      return `${task} succeeded, attempt ${event.attempt}`;
    case 'retried':
      return `${task} attempt ${event.attempt} failed: ${event.error?.message}; retrying at ${event.retryAt?.toISOString()}`;
    case 'failed':
      return `${task} attempt ${event.attempt} failed: ${event.error?.message}; no retries left`;
    case 'cancelled':
      return `${task} cancelled`;
  }
}
