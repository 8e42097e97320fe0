import type { TaskQueueLogger, TaskQueueLogLevel } from '../interfaces/task-queue-logger.interface.js';
import type { TaskQueueOptions } from '../interfaces/task-queue-options.interface.js';
import { DEFAULTS } from '../task-queue.defaults.js';
import { checkOptional, type OptionPredicate } from '../validation/option.validator.js';
import { LOG_LEVELS } from './level-logger.js';

const LEVEL_EXPECTED = `one of ${LOG_LEVELS.map((level) => `'${level}'`).join(', ')} or false`;
const isLevelOrFalse: OptionPredicate = (v) => v === false || (LOG_LEVELS as readonly unknown[]).includes(v);
const isLoggerOrLevel: OptionPredicate = (v) =>
  isLevelOrFalse(v) ||
  (typeof v === 'object' &&
    v !== null &&
    ['log', 'warn', 'error'].every((method) => typeof (v as Record<string, unknown>)[method] === 'function'));

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
  checkOptional('logLevel', options.logLevel, isLevelOrFalse, LEVEL_EXPECTED);
  checkOptional('logger', logger, isLoggerOrLevel, `a logger ({ log, warn, error }) or, deprecated, ${LEVEL_EXPECTED}`);
  const isLevel = logger === false || typeof logger === 'string';
  return {
    logLevel: options.logLevel ?? (isLevel ? logger : DEFAULTS.logLevel),
    logger: isLevel || logger === undefined ? fallback : logger,
  };
}
