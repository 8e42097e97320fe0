import { TaskQueueError } from './task-queue.error.js';

/** The store could not be reached; the operation did not happen (nothing half-written). */
export class StoreUnavailableError extends TaskQueueError {}
