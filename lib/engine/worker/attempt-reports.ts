import { localPathOf } from '../../interfaces/local-task-store.interface.js';
import type { TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ITaskStore, Lease } from '../../interfaces/task-store.interface.js';

/** Whether the store recorded a report: at once from a store in this process, else its promise. */
export type Recorded = boolean | Promise<boolean>;

/**
 * An attempt's reports to the store. A store in this process answers at once, so the event that follows a report
 * goes out before the worker can claim the task again (its retry, the next of its partition): the claim is as quick.
 */
export class AttemptReports {
  constructor(private readonly store: ITaskStore) {}

  complete(lease: Lease, result: unknown, claimed: TaskRecord): Recorded {
    const local = localPathOf(this.store);
    return local !== undefined ? local.complete(lease, result, claimed) : this.store.complete(lease, result);
  }

  fail(lease: Lease, error: TaskError, retryInMs: number | null): Recorded {
    const local = localPathOf(this.store);
    return local !== undefined ? local.fail(lease, error, retryInMs) : this.store.fail(lease, error, retryInMs);
  }

  /** For a store with `postpone` (`supportsDeployments`). */
  postpone(lease: Lease, delayMs: number): Recorded {
    const local = localPathOf(this.store);
    return local !== undefined ? local.postpone(lease, delayMs) : this.store.postpone!(lease, delayMs);
  }
}

/** `next(recorded)` as soon as the store answered: at once if it did, else once its promise settles. */
export function whenRecorded(recorded: Recorded, next: (recorded: boolean) => void): void | Promise<void> {
  return typeof recorded === 'boolean' ? next(recorded) : recorded.then(next);
}
