import { TaskQueueError } from './task-queue.error.js';

/** A schedule option or a module option is out of range or of the wrong type. */
export class InvalidTaskOptionsError extends TaskQueueError {}
