import type { NewTask, TaskError, TaskRecord } from './task-record.interface.js';
import type { AddOptions, ClaimBatch, ClaimRequest, ITaskStore, Lease } from './task-store.interface.js';

/** Where a store in this process keeps its synchronous path (internal: not exported by the package). */
export const LOCAL_TASK_STORE = Symbol('nest-task-queue.local-task-store');

/**
 * A store that lives in the worker's process answers the hot path at once: no promise per call and no copy per
 * claimed task. Each method does what its `ITaskStore` namesake does, and throws where that one rejects. All of
 * them or none: the event that follows a report or a retry must go out before a claim, as quick, starts the task.
 * The tasks a claim returns may be the store's own objects: the worker never changes them, and reads what changes
 * later (the lease token, the attempt number) when the attempt starts.
 */
export interface LocalTaskStore {
  add(tasks: NewTask[], options: AddOptions | undefined): boolean[];
  claim(request: ClaimRequest): ClaimBatch;
  /** `claimed`: the task as the claim returned it (a store that handed out its own object finds it without a lookup). */
  complete(lease: Lease, result: unknown, claimed: TaskRecord): boolean;
  fail(lease: Lease, error: TaskError, retryInMs: number | null): boolean;
  postpone(lease: Lease, delayMs: number): boolean;
  retry(taskId: string): boolean;
  /** The store still answers with its own methods for these (a subclass or a test double may replace one). */
  intact(store: ITaskStore): boolean;
}

interface WithLocalTaskStore {
  readonly [LOCAL_TASK_STORE]?: LocalTaskStore;
}

/** The store's synchronous path, if it has one and its contract methods are still its own. */
export function localPathOf(store: ITaskStore): LocalTaskStore | undefined {
  const local = (store as WithLocalTaskStore)[LOCAL_TASK_STORE];
  return local !== undefined && local.intact(store) ? local : undefined;
}
