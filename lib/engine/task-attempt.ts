import type { HeapItem } from '../collections/binary-heap.js';
import type { TaskContext, TaskDependency } from '../interfaces/task-handler.interface.js';
import type { TaskRecord } from '../interfaces/task-record.interface.js';
import type { Lease } from '../interfaces/task-store.interface.js';
import type { RegisteredHandler } from './handler-registry.js';

const NO_DEPENDENCIES: readonly TaskDependency[] = Object.freeze([]);

/**
 * One running attempt of a task, and the context its handler receives (one object, not two, on the hot
 * path). The AbortController is made only when the handler reads `signal` or the attempt is aborted.
 */
export class TaskAttempt implements TaskContext, HeapItem {
  readonly taskId: string;
  readonly handler: string;
  readonly attempt: number;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  /** Index in the worker's deadline heap (-1: none). */
  heapIndex = -1;
  /** When the timeout fires (epoch ms), if the task has a timeout. */
  readonly deadline: number;
  /** Its handler settled and its report is on its way to a remote store (the worker's slot is free). */
  reporting = false;
  /** Why the attempt was aborted, if it was. */
  abortReason: Error | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  private claim: Lease | undefined = undefined;
  /** The claim's token, read at the start: a store in this process may hand out its own task, which moves on. */
  private readonly token: string;
  /** Set by the runner before the handler runs, for a task with `dependsOn`. */
  dependencies: readonly TaskDependency[] = NO_DEPENDENCIES;
  /** Set by the runner: where `progress()` goes. */
  onProgress: ((attempt: TaskAttempt, value: unknown) => Promise<void>) | undefined = undefined;

  constructor(
    readonly task: TaskRecord,
    readonly entry: RegisteredHandler | undefined,
    readonly startedAt: number,
  ) {
    this.taskId = task.id;
    this.handler = task.handler;
    this.attempt = task.attempts;
    this.metadata = task.metadata;
    this.token = task.leaseToken!;
    this.deadline = task.timeout === undefined ? Infinity : startedAt + task.timeout;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  progress(value: unknown): Promise<void> {
    return this.onProgress === undefined ? Promise.resolve() : this.onProgress(this, value);
  }

  /** Aborts once; the first reason wins (a timeout then a cancel stays a timeout). */
  abort(reason: Error): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** The claim's fencing pair: the store's record may change, this attempt's claim does not. */
  get lease(): Lease {
    return (this.claim ??= { taskId: this.taskId, token: this.token });
  }
}
