import { TaskQueueError } from './task-queue.error.js';

/** Two task contracts (`defineTask`) in one process share a name but not their defaults. */
export class DuplicateTaskDefinitionError extends TaskQueueError {}
