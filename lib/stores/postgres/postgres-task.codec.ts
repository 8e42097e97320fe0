import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { TaskStatus } from '../../interfaces/task-status.js';
import type { Lease } from '../../interfaces/task-store.interface.js';

/** A task row as the store's statements select it (JSON columns as text, times in the database's epoch ms). */
export interface TaskRow {
  id: string;
  handler: string;
  name: string | null;
  args: string | null;
  status: TaskStatus;
  priority: number;
  partition_key: string | null;
  run_at: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempts: number;
  max_retries: number;
  timeout_ms: number | null;
  retry_strategy: string | null;
  last_error: string | null;
  result: string | null;
  metadata: string | null;
  lease_token: string | null;
  retry_base: number | null;
  // flows (issue 12)
  depends_on?: string[] | null;
  run_on_failure?: boolean;
  waiting_for?: string[] | null;
  progress?: string | null;
  // deployments (issue 10)
  rate_limit_key?: string | null;
}

/** A worker's report as the finish function reads it. */
export interface TaskReport {
  id: string;
  token: string;
  outcome: 'succeeded' | 'failed' | 'retry';
  /** The result's JSON text (json-report.sanitizer.ts made sure the database can keep it). */
  result?: string;
  /** JSON null and no value arrive alike as SQL NULL: this tells them apart. */
  result_null?: true;
  error?: TaskError;
  retry_ms?: number;
}

/**
 * The tasks of one add as the JSON array the add function reads. `offset` (database clock minus this
 * machine's, ms) moves runAt onto the database's clock, which decides when a task is due.
 */
export function encodeTasks(tasks: NewTask[], offset: number): string {
  return JSON.stringify(
    tasks.map((task) => ({
      id: task.id,
      handler: task.handler,
      name: task.name,
      args: task.args,
      args_null: task.args === null || undefined,
      priority: task.priority,
      partition_key: task.partitionKey,
      run_at: task.runAt + offset,
      created_at: task.createdAt + offset,
      max_retries: task.maxRetries,
      timeout: task.timeout,
      retry_strategy: task.retryStrategy,
      metadata: task.metadata,
      depends_on: task.dependsOn,
      run_on_failure: task.onDependencyFailure === 'run' || undefined,
      rate_limit_key: task.rateLimitKey,
    })),
  );
}

/** A success's report; `result` is its JSON text (json-report.sanitizer.ts). */
export function successReport(lease: Lease, result: string | undefined): TaskReport {
  return {
    id: lease.taskId,
    token: lease.token,
    outcome: 'succeeded',
    result,
    result_null: result === 'null' || undefined,
  };
}

/** A failure's report: a retry in `retryInMs`, or (null) for good. */
export function failureReport(lease: Lease, error: TaskError, retryInMs: number | null): TaskReport {
  const retry = retryInMs ?? undefined;
  return {
    id: lease.taskId,
    token: lease.token,
    outcome: retry === undefined ? 'failed' : 'retry',
    error,
    retry_ms: retry,
  };
}

/** Reports as one JSON array, each result's JSON text placed as it is (it is JSON already). */
export function encodeReports(reports: TaskReport[]): string {
  const parts = reports.map(({ result, ...report }) => {
    const json = JSON.stringify(report);
    return result === undefined ? json : `${json.slice(0, -1)},"result":${result}}`;
  });
  return `[${parts.join(',')}]`;
}

/** A selected row as the record the contract describes, times moved back to this machine's clock. */
export function decodeRow(row: TaskRow, offset: number): TaskRecord {
  const record: TaskRecord = {
    id: row.id,
    handler: row.handler,
    args: parseJson(row.args),
    status: row.status,
    priority: row.priority,
    runAt: row.run_at - offset,
    createdAt: row.created_at - offset,
    attempts: row.attempts,
    maxRetries: row.max_retries,
  };
  if (row.name !== null) record.name = row.name;
  if (row.partition_key !== null) record.partitionKey = row.partition_key;
  if (row.started_at !== null) record.startedAt = row.started_at - offset;
  if (row.finished_at !== null) record.finishedAt = row.finished_at - offset;
  if (row.timeout_ms !== null) record.timeout = row.timeout_ms;
  if (row.retry_strategy !== null) record.retryStrategy = parseJson(row.retry_strategy) as TaskRecord['retryStrategy'];
  if (row.last_error !== null) record.lastError = parseJson(row.last_error) as TaskError;
  if (row.result !== null) record.result = parseJson(row.result);
  if (row.metadata !== null) record.metadata = parseJson(row.metadata) as Record<string, unknown>;
  if (row.lease_token !== null) record.leaseToken = row.lease_token;
  if (row.retry_base !== null) record.retryBase = row.retry_base;
  if (row.depends_on != null) {
    record.dependsOn = row.depends_on;
    record.onDependencyFailure = row.run_on_failure ? 'run' : 'cancel';
    if (row.waiting_for !== undefined) record.waitingFor = row.waiting_for ?? [];
  }
  if (row.progress != null) record.progress = parseJson(row.progress);
  if (row.rate_limit_key != null) record.rateLimitKey = row.rate_limit_key;
  return record;
}

function parseJson(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}
