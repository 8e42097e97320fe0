import type { HeapItem } from '../../collections/binary-heap.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { IRetryStrategy, RetryStrategyDescriptor } from '../../retry/retry-strategy.interface.js';
import { isFinished, TaskStatus } from '../../interfaces/task-status.js';
import { MemoryFlow } from './memory-flow.js';
import type { MemoryHandlerLanes } from './memory-handler-lanes.js';

/** Where a pending or finished task sits in the in-memory store's structures (compared for equality only). */
export const Place = {
  None: 0,
  /** In the store's due-time heap (not due yet). */
  Delayed: 1,
  /** In a ready bucket's FIFO (due, claimable). */
  Ready: 2,
  /** In a ready bucket's heap (due, claimable, arrived out of order). */
  ReadyHeap: 3,
  /** In its partition's queue, behind the partition's head. */
  PartitionQueue: 4,
  /** Finished, in retention's list. */
  Retained: 5,
} as const;
export type Place = (typeof Place)[keyof typeof Place];

/**
 * What a pending task usually lacks: its optional settings and its run state. Kept apart and made only
 * when first set, so a plain pending task is one small object (the heap budget is ~300 bytes a task).
 */
class TaskExtras {
  name: string | undefined = undefined;
  timeout: number | undefined = undefined;
  retryStrategy: IRetryStrategy | RetryStrategyDescriptor | undefined = undefined;
  metadata: Record<string, unknown> | undefined = undefined;
  rateLimitKey: string | undefined = undefined;
  // Times as ms from TIME_BASE and the lease as a number: small integers, which a claim writes into a task made
  // long before without allocating (a fresh string or boxed double there outlives its task until a full GC).
  startedAt: number | undefined = undefined;
  finishedAt: number | undefined = undefined;
  lastError: TaskError | undefined = undefined;
  result: unknown = undefined;
  lease: number | undefined = undefined;
  leaseUntil: number | undefined = undefined;
  retryBase: number | undefined = undefined;
  flow: MemoryFlow | undefined = undefined;
  progress: unknown = undefined;
  lanes: MemoryHandlerLanes | undefined = undefined;

  runStateOnly(): boolean {
    return (
      this.name === undefined &&
      this.timeout === undefined &&
      this.retryStrategy === undefined &&
      this.metadata === undefined &&
      this.rateLimitKey === undefined &&
      this.retryBase === undefined &&
      this.flow === undefined &&
      this.progress === undefined
    );
  }

  clearRunState(): void {
    this.startedAt = undefined;
    this.finishedAt = undefined;
    this.lastError = undefined;
    this.result = undefined;
    this.lease = undefined;
    this.leaseUntil = undefined;
    this.lanes = undefined;
  }
}

/** Extras of forgotten tasks, for the next tasks claimed (memory-task.book.ts recycles them at its next claim). */
const SPARE_EXTRAS: TaskExtras[] = [];
const MAX_SPARE_EXTRAS = 4_096;

/** The in-memory store's task: the record plus its bookkeeping, in one object of a fixed shape. */
export class MemoryTask implements TaskRecord, HeapItem {
  status: TaskStatus = TaskStatus.Pending;
  attempts = 0;
  heapIndex = -1;
  /** Index among the leased tasks (memory-leases.ts; -1: none). */
  leaseIndex = -1;
  place: Place = Place.None;
  runAt: number;
  readonly id: string;
  readonly handler: string;
  readonly args: unknown;
  readonly priority: number;
  readonly partitionKey: string | undefined;
  readonly createdAt: number;
  readonly maxRetries: number;
  private extras: TaskExtras | undefined = undefined;

  constructor(
    task: NewTask,
    /** Insertion order: the tie-breaker after runAt. */
    readonly seq: number,
  ) {
    this.id = task.id;
    this.handler = task.handler;
    this.args = task.args;
    this.priority = task.priority;
    this.partitionKey = task.partitionKey;
    this.runAt = task.runAt;
    this.createdAt = task.createdAt;
    this.maxRetries = task.maxRetries;
    if (
      task.name !== undefined ||
      task.timeout !== undefined ||
      task.retryStrategy !== undefined ||
      task.metadata !== undefined ||
      task.rateLimitKey !== undefined
    ) {
      const extras = this.more();
      extras.name = task.name;
      extras.timeout = task.timeout;
      extras.retryStrategy = task.retryStrategy;
      extras.metadata = task.metadata;
      extras.rateLimitKey = task.rateLimitKey;
    }
    if (task.dependsOn !== undefined) {
      this.more().flow = new MemoryFlow(task.dependsOn, task.onDependencyFailure === 'run');
      this.status = TaskStatus.Waiting;
    }
  }

  /** Its flow state, if it has one. */
  get flow(): MemoryFlow | undefined {
    return this.extras?.flow;
  }
  /** The ids it depends on, as scheduled (a claimed task is read as its record). */
  get dependsOn(): string[] | undefined {
    return this.extras?.flow?.dependsOn;
  }
  /** Its flow state, made if it has none (it becomes a dependency). */
  flowState(): MemoryFlow {
    const extras = this.more();
    return (extras.flow ??= new MemoryFlow(undefined, false));
  }
  get progress() {
    return this.extras?.progress;
  }
  set progress(value) {
    this.more().progress = value;
  }

  get name() {
    return this.extras?.name;
  }
  get timeout() {
    return this.extras?.timeout;
  }
  get retryStrategy() {
    return this.extras?.retryStrategy;
  }
  get metadata() {
    return this.extras?.metadata;
  }
  get rateLimitKey() {
    return this.extras?.rateLimitKey;
  }
  get startedAt(): number | undefined {
    return fromBase(this.extras?.startedAt);
  }
  set startedAt(value: number | undefined) {
    this.more().startedAt = toBase(value);
  }
  get finishedAt(): number | undefined {
    return fromBase(this.extras?.finishedAt);
  }
  set finishedAt(value: number | undefined) {
    this.more().finishedAt = toBase(value);
  }
  get lastError() {
    return this.extras?.lastError;
  }
  set lastError(value) {
    this.more().lastError = value;
  }
  get result() {
    return this.extras?.result;
  }
  set result(value) {
    this.more().result = value;
  }
  /** The current lease's token (memory-leases.ts keeps it as a number). */
  get leaseToken(): string | undefined {
    const lease = this.extras?.lease;
    return lease === undefined ? undefined : String(lease);
  }
  get lease(): number | undefined {
    return this.extras?.lease;
  }
  set lease(value: number | undefined) {
    this.more().lease = value;
  }
  get leaseUntil(): number | undefined {
    return fromBase(this.extras?.leaseUntil);
  }
  set leaseUntil(value: number | undefined) {
    this.more().leaseUntil = toBase(value);
  }
  /** Its handler's lanes, once claimed (what counts it running). */
  get lanes() {
    return this.extras?.lanes;
  }
  set lanes(value) {
    this.more().lanes = value;
  }
  get retryBase() {
    return this.extras?.retryBase;
  }
  set retryBase(value) {
    this.more().retryBase = value;
  }

  private more(): TaskExtras {
    return (this.extras ??= SPARE_EXTRAS.pop() ?? new TaskExtras());
  }

  /**
   * The store forgot this task and nothing reads it any more: its extras, if they hold run state only, serve a
   * later task. A claim then writes into an object made long before: no young object hangs off an old task.
   */
  recycle(): void {
    const x = this.extras;
    if (x === undefined || SPARE_EXTRAS.length >= MAX_SPARE_EXTRAS || !x.runStateOnly()) return;
    this.extras = undefined;
    x.clearRunState();
    SPARE_EXTRAS.push(x);
  }

  /** A copy without the bookkeeping, so callers of get/list/claim cannot disturb the store. */
  snapshot(): TaskRecord {
    const x = this.extras;
    const record: TaskRecord = {
      id: this.id,
      handler: this.handler,
      name: x?.name,
      args: this.args,
      status: this.status,
      priority: this.priority,
      partitionKey: this.partitionKey,
      runAt: this.runAt,
      createdAt: this.createdAt,
      startedAt: fromBase(x?.startedAt),
      finishedAt: fromBase(x?.finishedAt),
      attempts: this.attempts,
      maxRetries: this.maxRetries,
      timeout: x?.timeout,
      retryStrategy: x?.retryStrategy,
      lastError: x?.lastError,
      result: x?.result,
      metadata: x?.metadata,
      leaseToken: this.leaseToken,
      retryBase: x?.retryBase,
    };
    if (x?.flow?.dependsOn !== undefined) Object.assign(record, flowFields(x.flow));
    if (x?.progress !== undefined) record.progress = x.progress;
    if (x?.rateLimitKey !== undefined) record.rateLimitKey = x.rateLimitKey;
    return record;
  }

  /**
   * The task run again by an operator's retry(): pending, due at `now`, with a fresh retry budget; a new
   * object (the finished one stays in retention's list until it is skipped there), in the same insertion order.
   */
  retried(now: number): MemoryTask {
    const task = new MemoryTask({ ...this.snapshot(), runAt: now }, this.seq);
    // Pending even with dependsOn: a retried flow task runs again at once (it waits for nothing, holds nothing).
    task.status = TaskStatus.Pending;
    task.attempts = this.attempts;
    const extras = task.more();
    extras.startedAt = this.extras?.startedAt;
    extras.lastError = this.lastError;
    extras.retryBase = this.attempts;
    return task;
  }
}

/** Epoch ms the run-state times count from: within ~12 days of it they are small integers. */
const TIME_BASE = Date.now();
const toBase = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms - TIME_BASE);
const fromBase = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms + TIME_BASE);

/** (runAt, insertion order): the order of the due-time heap and of every partition. */
export function dueBefore(a: MemoryTask, b: MemoryTask): boolean {
  return a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq);
}

function flowFields(flow: MemoryFlow): Partial<TaskRecord> {
  return {
    dependsOn: [...flow.dependsOn!],
    onDependencyFailure: flow.runOnFailure ? 'run' : 'cancel',
    waitingFor: flow.deps.filter((dep) => !isFinished(dep.status)).map((dep) => dep.id),
  };
}
