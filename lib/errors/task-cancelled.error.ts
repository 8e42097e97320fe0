import { TaskQueueError } from './task-queue.error.js';

/** The abort reason of `ctx.signal` when a running task is cancelled; it ends `cancelled`, never retried. */
export class TaskCancelledError extends TaskQueueError {}
