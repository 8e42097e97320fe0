import { TaskQueueError } from './task-queue.error.js';

/**
 * The abort reason of `ctx.signal` when the worker gives a task up: the application is shutting down, or
 * the worker lost the task's lease to another worker. The store decides what happens next (a durable
 * store lets another worker take it over).
 */
export class TaskAbortedError extends TaskQueueError {}
