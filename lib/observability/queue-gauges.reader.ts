import type { TaskBacklogSource } from '../interfaces/task-backlog.interface.js';
import type { ITaskStore } from '../interfaces/task-store.interface.js';
import { withTimeout } from './with-timeout.js';
import { ObservabilityMessages } from './observability.messages.js';

/** The store's view of the backlog, read on each scrape or health check. */
export interface QueueGauges {
  pending: number;
  running: number;
  /** Only from stores with `backlog()`. */
  delayed?: number;
  /** How long the oldest due, claimable task has waited past its runAt, ms (0: none waits). Only with `backlog()`. */
  oldestDueAgeMs?: number;
}

/** The store's optional `backlog()`, if it has one. */
export function backlogSourceOf(store: ITaskStore): TaskBacklogSource | undefined {
  return typeof (store as Partial<TaskBacklogSource>).backlog === 'function'
    ? (store as ITaskStore & TaskBacklogSource)
    : undefined;
}

/** One `counts()` (and `backlog()`) round trip, bounded by `timeoutMs`. */
export async function readQueueGauges(store: ITaskStore, timeoutMs: number): Promise<QueueGauges> {
  const source = backlogSourceOf(store);
  const [counts, backlog] = await withTimeout(
    Promise.all([store.counts(), source?.backlog()]),
    timeoutMs,
    ObservabilityMessages.storeTimedOut(timeoutMs),
  );
  const gauges: QueueGauges = { pending: counts.pending, running: counts.running };
  if (backlog !== undefined) {
    gauges.delayed = backlog.delayed;
    gauges.oldestDueAgeMs = backlog.oldestDueAt === undefined ? 0 : Math.max(0, Date.now() - backlog.oldestDueAt);
  }
  return gauges;
}
