import { ExponentialBackoffRetryStrategy } from './exponential-backoff.retry-strategy.js';
import { FixedDelayRetryStrategy } from './fixed-delay.retry-strategy.js';
import { LinearBackoffRetryStrategy } from './linear-backoff.retry-strategy.js';
import type { IRetryStrategy, RetryStrategyDescriptor } from './retry-strategy.interface.js';

/** Turns what a store kept back into a strategy: objects pass through, descriptors of built-ins are rebuilt. */
export function reviveRetryStrategy(
  value: IRetryStrategy | RetryStrategyDescriptor | undefined,
): IRetryStrategy | undefined {
  if (value === undefined || typeof (value as IRetryStrategy).nextDelay === 'function')
    return value as IRetryStrategy | undefined;
  const descriptor = value as RetryStrategyDescriptor;
  switch (descriptor.kind) {
    case 'exponential':
      return new ExponentialBackoffRetryStrategy(descriptor);
    case 'fixed':
      return new FixedDelayRetryStrategy(descriptor.delay);
    case 'linear':
      return new LinearBackoffRetryStrategy(descriptor);
    default:
      return undefined;
  }
}
