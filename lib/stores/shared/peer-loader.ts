import { TaskQueueError } from '../../errors/task-queue.error.js';
import { Messages } from '../../task-queue.messages.js';

/**
 * Loads an optional peer dependency (a store's driver, a metrics or tracing API) when the feature that needs it
 * starts, never at import time, and says what to install if it is missing. Pass the import as a literal,
 * `() => import('pg')`, so bundlers see it.
 */
export async function loadPeer<T>(feature: string, pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new TaskQueueError(Messages.missingDriver(feature, pkg), { cause: error });
  }
}
