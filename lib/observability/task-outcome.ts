import type { TaskEvent } from '../interfaces/task-event.interface.js';

/**
 * How an attempt or a task ended, as metrics and logs label it: `retried` (the attempt failed and another
 * is scheduled), `failed` (no attempts left), `succeeded`, `cancelled`.
 */
export type TaskOutcome = 'succeeded' | 'failed' | 'retried' | 'cancelled';

/** The outcome an event reports, or undefined for `scheduled` and `started`. */
export function outcomeOf(event: TaskEvent): TaskOutcome | undefined {
  switch (event.type) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return event.willRetry ? 'retried' : 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}
