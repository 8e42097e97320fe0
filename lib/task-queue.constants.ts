import type { RetentionOptions } from './interfaces/task-store.interface.js';

/** Logger context of everything this library logs. */
export const LOGGER_CONTEXT = 'TaskQueue';

/** Namespaced metadata key of `@TaskHandler()`. */
export const TASK_HANDLER_METADATA = 'task-queue:handler';

export const DEFAULT_RETENTION: Required<RetentionOptions> = Object.freeze({ maxCount: 10_000, maxAge: 24 * 60 * 60 * 1000 });

export const DEFAULTS = Object.freeze({
  concurrency: 10,
  defaultMaxRetries: 0,
  shutdownTimeout: 10_000,
  autoStart: true,
});
