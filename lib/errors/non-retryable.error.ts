import { TaskQueueError } from './task-queue.error.js';

/** Thrown by a handler to fail the task at once, whatever retries remain. */
export class NonRetryableError extends TaskQueueError {}
