import { checkOption, isIntegerFrom } from '../../validation/option.validator.js';
import type { DurableStoreOptions } from './durable-store-options.interface.js';
import { StoreMessages } from './store.messages.js';

export interface ResolvedDurableStoreOptions {
  leaseTime: number;
  pollInterval: number;
}

const DEFAULT_LEASE_TIME_MS = 30_000;
const MIN_LEASE_TIME_MS = 100;
const DEFAULT_POLL_INTERVAL_MS = 5_000;
const MIN_POLL_INTERVAL_MS = 10;

/** The options every durable store has, with defaults applied and checked (each store adds its own). */
export function resolveDurableStoreOptions(options: DurableStoreOptions): ResolvedDurableStoreOptions {
  return {
    leaseTime: msFrom('leaseTime', options.leaseTime ?? DEFAULT_LEASE_TIME_MS, MIN_LEASE_TIME_MS),
    pollInterval: msFrom('pollInterval', options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS),
  };
}

function msFrom(name: string, value: number, min: number): number {
  return checkOption(name, value, isIntegerFrom(min), StoreMessages.integerMsFrom(min));
}
