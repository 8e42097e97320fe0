import { TaskQueueError } from './task-queue.error.js';

/**
 * The store could not be reached, or its reply was lost. Nothing is ever half-written, but a write whose reply was
 * lost may have been applied whole: retry a schedule with the same taskId (see the message).
 */
export class StoreUnavailableError extends TaskQueueError {}
