import { TaskArgsNotSerializableError } from './task-args-not-serializable.error.js';

/**
 * Args over the `maxArgsBytes` module option; nothing was stored. A kind of TaskArgsNotSerializableError (args this
 * queue will not store), so code that catches that one catches this too.
 */
export class TaskArgsTooLargeError extends TaskArgsNotSerializableError {}
