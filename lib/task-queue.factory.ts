import { consoleLogger } from './engine/console.logger.js';
import { resolveLogging } from './engine/logging-options.resolver.js';
import { TaskQueue } from './engine/task-queue.js';
import type { TaskQueueLogger } from './interfaces/task-queue-logger.interface.js';
import type { TaskQueueModuleOptions } from './interfaces/task-queue-options.interface.js';
import type { ITaskStore } from './interfaces/task-store.interface.js';
import { InMemoryTaskStore } from './stores/in-memory/in-memory-task.store.js';

/**
 * Composes a queue: the engine with the defaults it does not pick itself, the store (in-memory unless one is
 * given) and where logs go (`defaultLogger` unless `options.logger` is a logger; the console by default). The
 * Nest module builds its queue here, with Nest's `Logger`; scripts may too, or call `new TaskQueue({ store })`.
 */
export function createTaskQueue(
  options: TaskQueueModuleOptions = {},
  defaultLogger: TaskQueueLogger = consoleLogger,
): TaskQueue {
  return new TaskQueue({ ...options, ...resolveLogging(options, defaultLogger), store: storeOf(options) });
}

/** The store options name, or a new in-memory one: the one default, for `createTaskQueue` and the module's TASK_STORE. */
export function storeOf(options: TaskQueueModuleOptions | undefined): ITaskStore {
  return options?.store ?? new InMemoryTaskStore();
}
