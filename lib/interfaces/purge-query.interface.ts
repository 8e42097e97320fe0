import type { TaskStatus } from './task-status.js';

/** Which finished tasks `purge()` removes. */
export interface PurgeQuery {
  /** One finished status or several (`succeeded`, `failed`, `cancelled`); required, so a purge never guesses. */
  status: TaskStatus | TaskStatus[];
  /** Only tasks of this handler. */
  handler?: string;
  /** Only tasks that finished before this time. */
  finishedBefore?: Date;
}
