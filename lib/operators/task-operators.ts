import { StoreOperationUnsupportedError } from '../errors/store-operation-unsupported.error.js';
import type { PurgeQuery } from '../interfaces/purge-query.interface.js';
import type { ITaskStore } from '../interfaces/task-store.interface.js';
import { OperatorMessages } from './operator.messages.js';
import { checkPurgeQuery } from './purge-query.validator.js';

type Operation = 'retry' | 'remove' | 'purge';

/** The store's optional operator method, or a typed error naming the store that lacks it. */
function supported<K extends Operation>(store: ITaskStore, operation: K): NonNullable<ITaskStore[K]> {
  const method = store[operation];
  if (typeof method !== 'function') {
    const name = store.constructor?.name ?? 'This store';
    throw new StoreOperationUnsupportedError(OperatorMessages.unsupported(operation, name));
  }
  return method.bind(store) as NonNullable<ITaskStore[K]>;
}

/** What operators do to tasks (the dashboard's actions): through the store's atomic operations, never read-then-write. */
export const TaskOperators = {
  retry: (store: ITaskStore, taskId: string): Promise<boolean> => supported(store, 'retry')(taskId),
  remove: (store: ITaskStore, taskId: string): Promise<boolean> => supported(store, 'remove')(taskId),
  purge: (store: ITaskStore, query: PurgeQuery): Promise<number> => {
    const purge = supported(store, 'purge');
    return purge(checkPurgeQuery(query));
  },
};
