import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { withTimeout } from '../with-timeout.js';
import { ObservabilityMessages } from '../observability.messages.js';

/**
 * The handlers with due tasks that no live worker runs (they wait until one starts), on stores with
 * `supportsDeployments`; undefined on others. Two index reads, bounded by `timeoutMs`.
 */
export async function readUnattendedHandlers(store: ITaskStore, timeoutMs: number): Promise<string[] | undefined> {
  const { dueHandlers, listWorkers } = store;
  if (!store.supportsDeployments || dueHandlers === undefined || listWorkers === undefined) return undefined;
  const [due, workers] = await withTimeout(
    Promise.all([dueHandlers.call(store), listWorkers.call(store)]),
    timeoutMs,
    ObservabilityMessages.storeTimedOut(timeoutMs),
  );
  const attended = new Set(workers.flatMap((worker) => worker.handlers));
  return due.filter((handler) => !attended.has(handler)).sort();
}
