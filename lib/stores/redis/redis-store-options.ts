import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import { Messages } from '../../task-queue.messages.js';
import type { RedisTaskStoreOptions } from './redis-task-store-options.interface.js';

export interface ResolvedRedisStoreOptions {
  prefix: string;
  leaseTime: number;
  pollInterval: number;
}

/** The store's options with defaults applied and checked: the one place that does either. */
export function resolveRedisStoreOptions(options: RedisTaskStoreOptions): ResolvedRedisStoreOptions {
  const prefix = options.prefix ?? 'ntq';
  if (typeof prefix !== 'string' || prefix === '' || /[{}]/.test(prefix)) {
    throw new InvalidTaskOptionsError(Messages.invalidOption('prefix', 'a non-empty string without { or }', prefix));
  }
  return {
    prefix,
    leaseTime: integerFrom('leaseTime', options.leaseTime ?? 30_000, 100),
    pollInterval: integerFrom('pollInterval', options.pollInterval ?? 5_000, 10),
  };
}

function integerFrom(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new InvalidTaskOptionsError(Messages.invalidOption(name, `an integer from ${min} up (ms)`, value));
  return value;
}
