import type { PurgeQuery } from './purge-query.interface.js';
import type { ClaimableHandler, DeploymentStoreMethods } from './deployment-store.interface.js';
import type { RecurringStoreMethods } from './recurring-store.interface.js';
import type { TaskBacklog } from './task-backlog.interface.js';
import type { NewTask, TaskError, TaskRecord } from './task-record.interface.js';
import type { TaskQueueLogger } from './task-queue-logger.interface.js';
import type { TaskStatus } from './task-status.js';

/** How long finished tasks are kept. Both bounds apply; whichever removes first wins. */
export interface RetentionOptions {
  /** Finished tasks kept at most (newest kept). Default 10,000. */
  maxCount?: number;
  /** Finished tasks older than this (ms since they finished) are removed. Default 24 h. */
  maxAge?: number;
}

export interface StoreInitContext {
  retention: Required<RetentionOptions>;
  logger: TaskQueueLogger;
}

export interface AddOptions {
  /** Reject with `QueueFullError` (adding nothing) when pending tasks would exceed this. */
  maxPending?: number;
  /**
   * A transaction of the store's own kind to add the tasks in (PostgresTaskStore: a pg client after BEGIN),
   * so they exist only if it commits. Only for stores with `supportsTransactions`.
   */
  transaction?: unknown;
}

export interface ClaimRequest {
  /** Identifies the claiming worker (logs, diagnostics). */
  workerId: string;
  /** Claim at most this many tasks. */
  limit: number;
  /**
   * Claim only tasks of these handlers, each within its limits (stores with `supportsDeployments`). Absent: any
   * handler, no limits. Paused handlers (and a paused queue) are left out by the store itself.
   */
  handlers?: Readonly<Record<string, ClaimableHandler>>;
}

export interface ClaimBatch {
  /** Claimed tasks, now `running`, `attempts` incremented, each with a fresh `leaseToken`. */
  tasks: TaskRecord[];
  /**
   * Milliseconds until the earliest pending task not claimed now becomes due, if the store knows it
   * (relative, so clocks of different machines need not agree). The worker sets one timer for it. It also covers
   * when a handler held back now (rate limit window full, `postpone` hold) may be claimed again; a slot of
   * `globalConcurrency` freed by any process signals `wake`, as does `setPaused(..., false)`.
   */
  nextDueInMs?: number;
}

/** Identifies one claim of one task: the fencing pair. */
export interface Lease {
  taskId: string;
  token: string;
}

/**
 * What a store tells the workers attached to it: `wake` when work may have become claimable (added,
 * due, partition released, lease expired: in another process too), `cancel` when a task was cancelled
 * (a worker running it aborts its signal). A `wake` with `reconnected` says the store is back after an outage:
 * a worker backing off from failed claims claims at once.
 */
export type StoreSignal =
  | { type: 'wake'; inMs?: number; reconnected?: boolean }
  | { type: 'cancel'; taskId: string }
  /** A task someone `watch()`es finished (flows, issue 12). */
  | { type: 'finished'; taskId: string };

export interface ListQuery {
  status?: TaskStatus | TaskStatus[];
  handler?: string;
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export type TaskCounts = Record<TaskStatus, number>;

/**
 * The store contract. Every state change is atomic in the store; workers in many processes may share one
 * store. Semantics all stores share (checked by the conformance suite in `test/store-conformance.ts`):
 *
 * - `claim` returns due `pending` tasks, highest priority first, then by (runAt, insertion order), marks
 *   them `running` and leases them for `leaseTime` ms. A task with a `partitionKey` is claimable only if it
 *   is the first of its partition by (runAt, insertion order) and no other task of the partition is running
 *   or waiting for a retry: the partition is held from a task's first claim until it is finished.
 * - A `running` task whose lease expired (its worker died) is claimable again, counting another attempt.
 * - `renew`, `complete` and `fail` take the lease; a stale token (the lease was taken over) is refused:
 *   nothing changes and they report it.
 */
export interface ITaskStore extends RecurringStoreMethods, DeploymentStoreMethods {
  /** Lease length in ms; workers renew running tasks at a third of it. */
  readonly leaseTime: number;
  /** 'json': args, metadata and results must survive a JSON round trip; `schedule()` checks before adding. */
  readonly serialization: 'structured' | 'json';
  /**
   * How often workers claim anyway, in ms, as a safety net for a lost signal (a dropped pub/sub message, a
   * reconnect). Undefined: never; the store's signals and `nextDueInMs` are complete (in-memory).
   */
  readonly pollInterval?: number;
  /** The store can add tasks inside a caller's transaction (`AddOptions.transaction`). */
  readonly supportsTransactions?: boolean;

  /**
   * What the store is and where, without secrets, for the queue's start-up log: `Redis at 127.0.0.1:6379 prefix
   * ntq`. Called after `init()`. Optional: a store without it is named by its class.
   */
  describe?(): string;
  /** Connect, migrate, subscribe. Called once when the module starts. A store that cannot start throws. */
  init?(context: StoreInitContext): Promise<void>;
  /** Release connections and timers. Called once when the module stops. */
  close?(): Promise<void>;

  /**
   * Adds tasks. For each: `true` if added; `false` if a task with that id exists and is not finished
   * (nothing changes). A finished task with the same id is replaced.
   */
  add(tasks: NewTask[], options?: AddOptions): Promise<boolean[]>;
  claim(request: ClaimRequest): Promise<ClaimBatch>;
  /** Extends the leases; returns the ids whose lease was lost (taken over, cancelled or gone). */
  renew(leases: Lease[]): Promise<string[]>;
  /** Marks the task `succeeded`. False if the lease is stale or the task was cancelled meanwhile. */
  complete(lease: Lease, result?: unknown): Promise<boolean>;
  /**
   * Records a failed attempt: with `retryInMs` the task is `pending` again at now + retryInMs and keeps its
   * partition; with null it is `failed`. False if the lease is stale or the task was cancelled meanwhile
   * (a cancelled task's partition is released all the same).
   */
  fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean>;
  /**
   * Cancels a pending or running task and signals `cancel` to the workers. Returns the task as it is after
   * cancelling, or undefined if it is unknown or already finished. A running task keeps its partition until
   * its worker reports back (or its lease expires), so partition tasks never overlap.
   */
  cancel(taskId: string): Promise<TaskRecord | undefined>;

  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Newest first (by createdAt). */
  list(query?: ListQuery): Promise<TaskRecord[]>;
  counts(): Promise<TaskCounts>;

  /** Registers a listener for signals; returns the function that removes it. */
  subscribe(listener: (signal: StoreSignal) => void): () => void;

  /** Optional: delayed count and oldest due time, from indexes (metrics and the health check use it). */
  backlog?(): Promise<TaskBacklog>;

  // --- Operators (retry, remove, purge, countsByHandler). Optional: a store without them makes the scheduler's calls throw
  // StoreOperationUnsupportedError. ---
  /**
   * A `failed` or `cancelled` task (whose worker, if it ran, has reported) becomes `pending`, due now, with
   * `retryBase` set to its `attempts` (the retry budget counts from there); a partition task queues behind
   * its partition's due tasks. True if re-queued; false if unknown or not in such a state.
   */
  retry?(taskId: string): Promise<boolean>;
  /**
   * Deletes a task that no worker holds, in one atomic operation. A waiting or pending one (it never runs) is
   * settled as `cancel` would settle it before it goes: the next task of its partition may go, its dependents
   * follow their `onDependencyFailure` as for a cancelled dependency, and it no longer holds its own dependencies.
   * A finished one goes unless an unfinished task depends on it (kept for it, as retention keeps it).
   * True if removed; false if running, held by a worker (cancelled while running), unknown, or so kept.
   */
  remove?(taskId: string): Promise<boolean>;
  /**
   * Deletes finished tasks matching the query, in batches so that no call holds the store for long; it skips
   * those a worker still holds and those an unfinished task depends on (as retention does: a later purge takes
   * them once that one finished). Returns how many were removed. The query is valid (the engine checks it).
   */
  purge?(query: PurgeQuery): Promise<number>;
  /**
   * How many tasks each handler has in each status (statuses with none may be left out). An admin query that may
   * read every task (the dashboard calls it, a few times a minute at most); never on a worker's path.
   */
  countsByHandler?(): Promise<Record<string, Partial<TaskCounts>>>;
  // --- flows (issue 12): optional, so a store of your own without them still works (schedule() then refuses
  // `dependsOn`, waitFor() rejects, ctx.progress() warns once and does nothing) ---
  /**
   * The store keeps `NewTask.dependsOn`: `add` rejects with `UnknownTaskError` (adding nothing) for a dependency it
   * does not know (nor in the same add); a task with unfinished dependencies is `waiting`; finishing (complete, a
   * final fail, cancel) a task settles its waiting dependents in the same atomic operation: the last dependency
   * makes one `pending` (due at the later of its runAt and now), a failed or cancelled one cancels those with
   * `onDependencyFailure` 'cancel', transitively. Retention keeps a finished task while an unfinished one depends on it.
   */
  readonly supportsDependencies?: boolean;
  /**
   * Returns the task as it is now (undefined: unknown) and, if it is unfinished, marks it so that its finish is
   * signalled (`{ type: 'finished' }`) to the listeners of every store on the same data (for `waitFor`).
   */
  watch?(taskId: string): Promise<TaskRecord | undefined>;
  /** Keeps `progress` as the running task's progress; false (nothing kept) if the lease is not current. */
  setProgress?(lease: Lease, progress: unknown): Promise<boolean>;
  /** The tasks of these ids, in that order (undefined: unknown). For `ctx.dependencies`; else `get` each. */
  getMany?(taskIds: string[]): Promise<(TaskRecord | undefined)[]>;
}
