/** Logger context of everything this library logs. */
export const LOGGER_CONTEXT = 'TaskQueue';

/** Namespaced metadata key of `@TaskHandler()`. */
export const TASK_HANDLER_METADATA = 'task-queue:handler';
