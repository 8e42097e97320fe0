import { StoreUnavailableError } from '../../errors/store-unavailable.error.js';
import { Messages } from '../../task-queue.messages.js';
import { StoreMessages } from './store.messages.js';

/** The error of an operation on a durable store that is not started (before init(), or after close()). */
export function storeNotStarted(operation: string): StoreUnavailableError {
  return new StoreUnavailableError(Messages.storeUnavailable(operation, StoreMessages.notStarted()));
}
