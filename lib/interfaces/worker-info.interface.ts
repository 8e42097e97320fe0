import type { WorkerRecord } from './deployment-store.interface.js';

/**
 * A live worker sharing the store, as `listWorkers()` shows it: the store's record (its handlers are the only ones it
 * claims) with its times as Dates. A worker unseen for about a `leaseTime` drops out.
 */
export interface WorkerInfo extends Omit<WorkerRecord, 'startedAt' | 'lastSeenAt'> {
  startedAt: Date;
  /** Its last heartbeat, on the store's clock. */
  lastSeenAt: Date;
}
