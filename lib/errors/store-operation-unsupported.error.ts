import { TaskQueueError } from './task-queue.error.js';

/** The store lacks an optional operation (a custom store without `retry`, `remove` or `purge`). */
export class StoreOperationUnsupportedError extends TaskQueueError {}
