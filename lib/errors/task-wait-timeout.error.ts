import { TaskQueueError } from './task-queue.error.js';

/** `waitFor()` gave up: the task did not finish within its `timeout`. */
export class TaskWaitTimeoutError extends TaskQueueError {}
