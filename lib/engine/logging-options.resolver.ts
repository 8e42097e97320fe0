import type { TaskQueueLogger, TaskQueueLogLevel } from '../interfaces/task-queue-logger.interface.js';
import type { TaskQueueOptions } from '../interfaces/task-queue-options.interface.js';
import { DEFAULTS } from '../task-queue.defaults.js';

export interface ResolvedLogging {
  logLevel: TaskQueueLogLevel | false;
  logger: TaskQueueLogger;
}

/**
 * `logLevel` and `logger`, with the deprecated form (a level or false as `logger`) read as `logLevel`. The one
 * place that knows the alias: the engine's resolver and `createTaskQueue` (with Nest's logger) both call it.
 */
export function resolveLogging(
  options: Pick<TaskQueueOptions, 'logLevel' | 'logger'>,
  fallback: TaskQueueLogger,
): ResolvedLogging {
  const { logger } = options;
  const isLevel = logger === false || typeof logger === 'string';
  return {
    logLevel: options.logLevel ?? (isLevel ? logger : DEFAULTS.logLevel),
    logger: isLevel || logger === undefined ? fallback : logger,
  };
}
