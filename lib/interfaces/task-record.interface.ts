import type { IRetryStrategy, RetryStrategyDescriptor } from '../retry/retry-strategy.interface.js';
import type { TaskStatus } from './task-status.js';

/** An error as stored with a task: plain data, so every store can keep it. */
export interface TaskError {
  name: string;
  message: string;
  stack?: string;
}

/**
 * A task as a store keeps it. Times are epoch milliseconds. Stores own this shape; the public
 * snapshot (`TaskInfo`) is derived from it.
 */
export interface TaskRecord {
  id: string;
  /** Name of the registered handler that runs it: never a class path or a module to load. */
  handler: string;
  name?: string;
  args: unknown;
  status: TaskStatus;
  /** Higher runs first among due tasks (ignored inside a partition, which is strictly ordered). */
  priority: number;
  partitionKey?: string;
  /** Not before this time (epoch ms). After a failed attempt, the time of the retry. */
  runAt: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Attempts started so far (a claim counts one, also one taken over after a lease expired). */
  attempts: number;
  maxRetries: number;
  /** Per-attempt timeout in ms. */
  timeout?: number;
  /** In-memory stores keep the object; JSON stores keep built-ins as descriptors (see `reviveRetryStrategy`). */
  retryStrategy?: IRetryStrategy | RetryStrategyDescriptor;
  lastError?: TaskError;
  /** What the handler returned on success (JSON stores keep what survives JSON). */
  result?: unknown;
  metadata?: Record<string, unknown>;
  /** Fencing token of the current claim; only its holder may renew, complete or fail the task. */
  leaseToken?: string;
  /**
   * The attempts made before the last manual `retry()` (absent: 0): `maxRetries` counts the attempts after
   * it, so a retried task gets a fresh retry budget while `attempts` keeps counting the total.
   */
  retryBase?: number;
  // --- flows (issue 12) ---
  /** Ids of the tasks this one waits for, in the order given. */
  dependsOn?: string[];
  /** What a failed or cancelled dependency does to this task (with `dependsOn`; default 'cancel'). */
  onDependencyFailure?: DependencyFailurePolicy;
  /** Of `dependsOn`, the ids not finished yet (read time; stores fill it in get/list). */
  waitingFor?: string[];
  /** The last value the handler passed to `ctx.progress()`. */
  progress?: unknown;
  // --- deployments (issue 10) ---
  /** The handler's `rateLimit` (and a `RateLimitedError`'s hold) applies to the tasks of this key separately. */
  rateLimitKey?: string;
}

/** `'cancel'`: a dependency that fails or is cancelled cancels the task; `'run'`: it runs once all finished. */
export type DependencyFailurePolicy = 'cancel' | 'run';

/** What `ITaskStore.add` receives: everything a store does not decide for itself. */
export type NewTask = Omit<
  TaskRecord,
  | 'status'
  | 'startedAt'
  | 'finishedAt'
  | 'attempts'
  | 'lastError'
  | 'result'
  | 'leaseToken'
  | 'retryBase'
  | 'waitingFor'
  | 'progress'
>;
