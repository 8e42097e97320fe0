import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { TaskQueue } from '../engine/task-queue.js';
import type { TaskQueueModuleOptions } from '../interfaces/task-queue-options.interface.js';
import type { ITaskStore } from '../interfaces/task-store.interface.js';
import { LOGGER_CONTEXT } from '../task-queue.constants.js';
import { createTaskQueue, storeOf } from '../task-queue.factory.js';
import { Messages } from '../task-queue.messages.js';
import { checkAsyncOptions } from './async-options.guard.js';
import { TaskHandlerExplorer } from './task-handler.explorer.js';
import { TaskQueueHostModule } from './task-queue-host.module.js';
import { TaskQueueHost } from './task-queue.host.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
} from './task-queue.module-definition.js';
import { TaskQueueLifecycle } from './task-queue.lifecycle.js';
import { TaskScheduler } from './task-scheduler.service.js';
import { DEFAULT_RETRY_STRATEGY, TASK_QUEUE, TASK_QUEUE_HOSTED, TASK_STORE } from './task-queue.tokens.js';

/**
 * Background tasks for the app: `TaskQueueModule.forRoot({...})` or `forRootAsync({ useFactory, inject })`.
 * Provides `TaskScheduler`, the store (`TASK_STORE`) and the default retry strategy (`DEFAULT_RETRY_STRATEGY`).
 */
@Module({
  imports: [DiscoveryModule, TaskQueueHostModule],
  providers: [
    // The store is a provider of its own, which the engine is built with, so that a test's
    // `overrideProvider(TASK_STORE)` (or of TASK_QUEUE_OPTIONS) replaces the store the app configures.
    { provide: TASK_STORE, useFactory: storeOf, inject: [MODULE_OPTIONS_TOKEN] },
    {
      provide: TASK_QUEUE,
      useFactory: (options: TaskQueueModuleOptions | undefined, store: ITaskStore) =>
        createTaskQueue({ ...options, store }, new Logger(LOGGER_CONTEXT)),
      inject: [MODULE_OPTIONS_TOKEN, TASK_STORE],
    },
    {
      provide: DEFAULT_RETRY_STRATEGY,
      useFactory: (queue: TaskQueue) => queue.options.defaultRetryStrategy,
      inject: [TASK_QUEUE],
    },
    // Hands the engine to the shared host, where TaskQueueObservabilityModule gets it injected.
    {
      provide: TASK_QUEUE_HOSTED,
      useFactory: (host: TaskQueueHost, queue: TaskQueue) => host.attach(queue),
      inject: [TaskQueueHost, TASK_QUEUE],
    },
    TaskHandlerExplorer,
    TaskQueueLifecycle,
    TaskScheduler,
  ],
  exports: [TaskScheduler, TASK_STORE, DEFAULT_RETRY_STRATEGY],
})
export class TaskQueueModule extends ConfigurableModuleClass {
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(checkAsyncOptions(options, Messages.asyncOptionsWithoutFactory));
  }
}
