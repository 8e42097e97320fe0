import type { HeapItem } from '../../collections/binary-heap.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import { TaskStatus } from '../../interfaces/task-status.js';
import type { IRetryStrategy, RetryStrategyDescriptor } from '../../retry/retry-strategy.interface.js';

/** Where a pending task sits in the in-memory store's structures. */
export const Place = {
  None: 0,
  /** In the store's due-time heap (not due yet). */
  Delayed: 1,
  /** In a ready bucket's FIFO (due, claimable). */
  Ready: 2,
  /** In a ready bucket's heap (due, claimable, arrived out of order). */
  ReadyHeap: 4,
  /** In its partition's queue, behind the partition's head. */
  PartitionQueue: 3,
} as const;
export type Place = (typeof Place)[keyof typeof Place];

/**
 * The in-memory store's task: the record plus its bookkeeping, in one object with a fixed shape so that a
 * million of them stay small (no per-task wrappers, timers or closures).
 */
export class MemoryTask implements TaskRecord, HeapItem {
  status: TaskStatus = TaskStatus.Pending;
  attempts = 0;
  startedAt: number | undefined = undefined;
  finishedAt: number | undefined = undefined;
  lastError: TaskError | undefined = undefined;
  result: unknown = undefined;
  leaseToken: string | undefined = undefined;
  leaseUntil = 0;
  heapIndex = -1;
  place: Place = Place.None;

  readonly id: string;
  readonly handler: string;
  readonly name: string | undefined;
  readonly args: unknown;
  readonly priority: number;
  readonly partitionKey: string | undefined;
  runAt: number;
  readonly createdAt: number;
  readonly maxRetries: number;
  readonly timeout: number | undefined;
  readonly retryStrategy: IRetryStrategy | RetryStrategyDescriptor | undefined;
  readonly metadata: Record<string, unknown> | undefined;

  constructor(
    task: NewTask,
    /** Insertion order: the tie-breaker after runAt. */
    readonly seq: number,
  ) {
    this.id = task.id;
    this.handler = task.handler;
    this.name = task.name;
    this.args = task.args;
    this.priority = task.priority;
    this.partitionKey = task.partitionKey;
    this.runAt = task.runAt;
    this.createdAt = task.createdAt;
    this.maxRetries = task.maxRetries;
    this.timeout = task.timeout;
    this.retryStrategy = task.retryStrategy;
    this.metadata = task.metadata;
  }

  /** A copy without the bookkeeping, so callers of get/list cannot disturb the store. */
  snapshot(): TaskRecord {
    return {
      id: this.id,
      handler: this.handler,
      name: this.name,
      args: this.args,
      status: this.status,
      priority: this.priority,
      partitionKey: this.partitionKey,
      runAt: this.runAt,
      createdAt: this.createdAt,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      attempts: this.attempts,
      maxRetries: this.maxRetries,
      timeout: this.timeout,
      retryStrategy: this.retryStrategy,
      lastError: this.lastError,
      result: this.result,
      metadata: this.metadata,
      leaseToken: this.leaseToken,
    };
  }
}

/** (runAt, insertion order): the order of the due-time heap and of every partition. */
export function dueBefore(a: MemoryTask, b: MemoryTask): boolean {
  return a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq);
}
