import { checkOption } from '../../validation/option.validator.js';
import { resolveDurableStoreOptions, type ResolvedDurableStoreOptions } from '../shared/durable-store-options.js';
import { isKeyPrefix } from './redis-keys.js';
import type { RedisTaskStoreOptions } from './redis-task-store-options.interface.js';
import { RedisMessages } from './redis.messages.js';

export interface ResolvedRedisStoreOptions extends ResolvedDurableStoreOptions {
  prefix: string;
}

/** The store's options with defaults applied and checked: the one place that does either. */
export function resolveRedisStoreOptions(options: RedisTaskStoreOptions): ResolvedRedisStoreOptions {
  const prefix = checkOption('prefix', options.prefix ?? 'ntq', isKeyPrefix, RedisMessages.prefixExpected());
  return { prefix, ...resolveDurableStoreOptions(options) };
}
