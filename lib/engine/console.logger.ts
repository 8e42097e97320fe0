import type { TaskQueueLogger } from '../interfaces/task-queue-logger.interface.js';

/** Where the engine logs when no logger is given (scripts, benchmarks): the console, prefixed. */
export const consoleLogger: TaskQueueLogger = {
  log: (message) => console.log(`[TaskQueue] ${String(message)}`),
  warn: (message) => console.warn(`[TaskQueue] ${String(message)}`),
  error: (message, ...rest) => console.error(`[TaskQueue] ${String(message)}`, ...rest),
  debug: (message) => console.debug(`[TaskQueue] ${String(message)}`),
};
