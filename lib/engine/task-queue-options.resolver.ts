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
  isPlainObject,
  isRetryStrategy,
} from '../validation/option.validator.js';
import { checkKnownKeys } from '../validation/known-keys.validator.js';
import type { RetentionOptions } from '../interfaces/task-store.interface.js';
import { checkStore } from './task-store.check.js';
import { consoleLogger } from './console.logger.js';
import { resolveLogging } from './logging-options.resolver.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';

const FROM_1 = 'an integer from 1 up';
const POSITIVE_MS = 'a positive number of ms';

/** Every key of the module's options (the compiler checks the list is complete): any other is a typo. */
const OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({
    store: true,
    concurrency: true,
    defaultTimeout: true,
    defaultMaxRetries: true,
    defaultRetryStrategy: true,
    shutdownTimeout: true,
    autoStart: true,
    retention: true,
    maxQueueSize: true,
    maxArgsBytes: true,
    logLevel: true,
    logger: true,
    pruneRecurring: true,
  } satisfies Record<keyof TaskQueueOptions, true>),
);
const RETENTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({ maxCount: true, maxAge: true } satisfies Record<keyof RetentionOptions, true>),
);

/** Applies every default and checks every value: the only place that does either. */
export function resolveTaskQueueOptions(options: TaskQueueOptions): ResolvedTaskQueueOptions {
  checkOption('options', options, isPlainObject, 'an object of task queue options');
  checkKnownKeys('task queue', options, OPTION_KEYS);
  checkOptional('retention', options.retention, isPlainObject, 'an object ({ maxCount?, maxAge? })');
  if (options.retention !== undefined) checkKnownKeys('retention', options.retention, RETENTION_KEYS);
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  return {
    store: checkStore(options.store),
    concurrency: checkOption('concurrency', options.concurrency ?? DEFAULTS.concurrency, isPositiveInteger, FROM_1),
    defaultTimeout: checkOptional('defaultTimeout', options.defaultTimeout, isPositiveFinite, POSITIVE_MS),
    defaultMaxRetries: checkOption(
      'defaultMaxRetries',
      options.defaultMaxRetries ?? DEFAULTS.defaultMaxRetries,
      isNonNegativeInteger,
      'an integer from 0 up',
    ),
    defaultRetryStrategy:
      checkOptional(
        'defaultRetryStrategy',
        options.defaultRetryStrategy,
        isRetryStrategy,
        'an object with nextDelay()',
      ) ?? new ExponentialBackoffRetryStrategy(),
    shutdownTimeout: checkOption(
      'shutdownTimeout',
      options.shutdownTimeout ?? DEFAULTS.shutdownTimeout,
      isNonNegativeFinite,
      'a number of ms from 0 up',
    ),
    autoStart: checkOption('autoStart', options.autoStart ?? DEFAULTS.autoStart, isBoolean, 'true or false'),
    retention: {
      maxCount: checkOption('retention.maxCount', retention.maxCount, isNonNegativeInteger, 'an integer from 0 up'),
      maxAge: checkOption('retention.maxAge', retention.maxAge, isNonNegativeFinite, 'a number of ms from 0 up'),
    },
    maxQueueSize: checkOptional('maxQueueSize', options.maxQueueSize, isPositiveInteger, FROM_1),
    maxArgsBytes: checkOptional(
      'maxArgsBytes',
      options.maxArgsBytes,
      isPositiveInteger,
      'an integer number of bytes from 1 up',
    ),
    pruneRecurring: checkOption('pruneRecurring', options.pruneRecurring ?? false, isBoolean, 'true or false'),
    ...resolveLogging(options, consoleLogger),
  };
}

const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
