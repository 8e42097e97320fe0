import type { TaskQueueOptions } from '../interfaces/task-queue-options.interface.js';
import { ExponentialBackoffRetryStrategy } from '../retry/exponential-backoff.retry-strategy.js';
import { DEFAULT_RETENTION, DEFAULTS } from '../task-queue.defaults.js';
import {
  checkOption,
  checkOptional,
  isNonNegativeFinite,
  isNonNegativeInteger,
  isPositiveFinite,
  isPositiveInteger,
  type OptionPredicate,
} from '../validation/option.validator.js';
import { consoleLogger } from './console.logger.js';
import { resolveLogging } from './logging-options.resolver.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';

const STORE_EXPECTED = 'a task store (e.g. new InMemoryTaskStore(), or use createTaskQueue())';
const FROM_1 = 'an integer from 1 up';
const POSITIVE_MS = 'a positive number of ms';
const isStore: OptionPredicate = (v) => typeof (v as { claim?: unknown } | undefined)?.claim === 'function';

/** Applies every default and checks every value: the only place that does either. */
export function resolveTaskQueueOptions(options: TaskQueueOptions): ResolvedTaskQueueOptions {
  const retention = { ...DEFAULT_RETENTION, ...options?.retention };
  return {
    store: checkOption('store', options?.store, isStore, STORE_EXPECTED),
    concurrency: checkOption('concurrency', options.concurrency ?? DEFAULTS.concurrency, isPositiveInteger, FROM_1),
    defaultTimeout: checkOptional('defaultTimeout', options.defaultTimeout, isPositiveFinite, POSITIVE_MS),
    defaultMaxRetries: checkOption(
      'defaultMaxRetries',
      options.defaultMaxRetries ?? DEFAULTS.defaultMaxRetries,
      isNonNegativeInteger,
      'an integer from 0 up',
    ),
    defaultRetryStrategy: options.defaultRetryStrategy ?? new ExponentialBackoffRetryStrategy(),
    shutdownTimeout: checkOption(
      'shutdownTimeout',
      options.shutdownTimeout ?? DEFAULTS.shutdownTimeout,
      isNonNegativeFinite,
      'a number of ms from 0 up',
    ),
    autoStart: options.autoStart ?? DEFAULTS.autoStart,
    retention: {
      maxCount: checkOption('retention.maxCount', retention.maxCount, isNonNegativeInteger, 'an integer from 0 up'),
      maxAge: checkOption('retention.maxAge', retention.maxAge, isNonNegativeFinite, 'a number of ms from 0 up'),
    },
    maxQueueSize: checkOptional('maxQueueSize', options.maxQueueSize, isPositiveInteger, FROM_1),
    ...resolveLogging(options, consoleLogger),
  };
}
