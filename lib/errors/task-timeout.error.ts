import { TaskQueueError } from './task-queue.error.js';

/** The abort reason of `ctx.signal` when an attempt outlives its `timeout`; the attempt counts as failed. */
export class TaskTimeoutError extends TaskQueueError {}
