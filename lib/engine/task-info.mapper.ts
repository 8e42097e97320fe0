import type { TaskInfo } from '../interfaces/task-info.interface.js';
import type { TaskRecord } from '../interfaces/task-record.interface.js';

const toDate = (ms: number | undefined): Date | undefined =>
  ms === undefined || ms === null ? undefined : new Date(ms);

/** The public snapshot of a stored task (dates as Date, no lease or strategy internals). */
export function toTaskInfo(record: TaskRecord): TaskInfo {
  const info: TaskInfo = {
    id: record.id,
    handler: record.handler,
    name: record.name,
    args: record.args,
    status: record.status,
    attempts: record.attempts,
    maxRetries: record.maxRetries,
    priority: record.priority,
    partitionKey: record.partitionKey,
    runAt: new Date(record.runAt),
    createdAt: new Date(record.createdAt),
    startedAt: toDate(record.startedAt),
    finishedAt: toDate(record.finishedAt),
    lastError: record.lastError,
    result: record.result,
    metadata: record.metadata,
    dependsOn: record.dependsOn,
    waitingFor: record.waitingFor,
    onDependencyFailure: record.onDependencyFailure,
    progress: record.progress,
  };
  if (record.rateLimitKey !== undefined) info.rateLimitKey = record.rateLimitKey;
  return info;
}
