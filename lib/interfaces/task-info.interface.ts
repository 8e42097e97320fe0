import type { DependencyFailurePolicy, TaskError } from './task-record.interface.js';
import type { TaskStatus } from './task-status.js';

/** A snapshot of a task, as `getTask` and `listTasks` return it. */
export interface TaskInfo {
  id: string;
  handler: string;
  name?: string;
  args: unknown;
  status: TaskStatus;
  attempts: number;
  maxRetries: number;
  priority: number;
  partitionKey?: string;
  runAt: Date;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  lastError?: TaskError;
  result?: unknown;
  metadata?: Record<string, unknown>;
  /** The tasks this one waits for (`dependsOn`), in the order given. */
  dependsOn?: string[];
  /** Of `dependsOn`, those not finished yet. */
  waitingFor?: string[];
  onDependencyFailure?: DependencyFailurePolicy;
  /** The last value the handler reported with `ctx.progress()`; undefined before any. */
  progress?: unknown;
  /** The schedule option `rateLimitKey`, if it was given. */
  rateLimitKey?: string;
}
