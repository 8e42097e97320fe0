import type { IRetryStrategy, RetryStrategyDescriptor } from './retry-strategy.interface.js';
import { assertFiniteAtLeast } from './retry-option.assert.js';

/** The same delay before every retry. */
export class FixedDelayRetryStrategy implements IRetryStrategy {
  readonly delay: number;

  /** @param delay ms before each retry */
  constructor(delay: number) {
    this.delay = assertFiniteAtLeast('delay', delay, 0);
  }

  nextDelay(): number {
    return this.delay;
  }

  toJSON(): RetryStrategyDescriptor {
    return { kind: 'fixed', delay: this.delay };
  }
}
