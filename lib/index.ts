// The public API. Everything else in lib/ is internal.
export * from './errors/index.js';
export { TaskStatus, FINISHED_STATUSES } from './interfaces/task-status.js';
export type { ITaskHandler, TaskContext, TaskDependency } from './interfaces/task-handler.interface.js';
export type { DependencyFailurePolicy } from './interfaces/task-record.interface.js';
export type { WaitForOptions } from './engine/flows/task-waiters.js';
export type { ScheduleOptions } from './interfaces/schedule-options.interface.js';
export type { TaskInfo } from './interfaces/task-info.interface.js';
export type { TaskEvent, TaskEventSubject, TaskEventType, TaskObserver } from './interfaces/task-event.interface.js';
export type { PurgeQuery } from './interfaces/purge-query.interface.js';
export type { TaskBacklog, TaskBacklogSource } from './interfaces/task-backlog.interface.js';
export type { TaskWorkerStatus } from './engine/worker/task-worker.js';
export type { TaskError, TaskRecord, NewTask } from './interfaces/task-record.interface.js';
export type { TaskQueueModuleOptions, TaskQueueOptions } from './interfaces/task-queue-options.interface.js';
export type {
  ITaskStore,
  AddOptions,
  ClaimBatch,
  ClaimRequest,
  Lease,
  ListQuery,
  RetentionOptions,
  StoreInitContext,
  StoreSignal,
  TaskCounts,
} from './interfaces/task-store.interface.js';
export type { IRetryStrategy, RetryStrategyDescriptor } from './retry/retry-strategy.interface.js';
export {
  ExponentialBackoffRetryStrategy,
  type ExponentialBackoffOptions,
} from './retry/exponential-backoff.retry-strategy.js';
export { FixedDelayRetryStrategy } from './retry/fixed-delay.retry-strategy.js';
export { LinearBackoffRetryStrategy, type LinearBackoffOptions } from './retry/linear-backoff.retry-strategy.js';
export { reviveRetryStrategy } from './retry/revive-retry-strategy.js';
export { InMemoryTaskStore, type InMemoryTaskStoreOptions } from './stores/in-memory/in-memory-task.store.js';
export type { InMemorySerialization } from './stores/in-memory/memory-serialization.js';
export {
  TaskQueue,
  type ScheduleItem,
  type HandlerArgs,
  type ScheduleArgs,
  type ArgsRequired,
  type DefinitionScheduleArgs,
} from './engine/task-queue.js';
export { createTaskQueue } from './task-queue.factory.js';
export type { TaskHandlerDefaults, HandlerSource } from './engine/handler-registry.js';
export type { TaskQueueLogger, TaskQueueLogLevel } from './interfaces/task-queue-logger.interface.js';
export type { DurableStoreOptions } from './stores/shared/durable-store-options.interface.js';
export { TaskQueueModule } from './nest/task-queue.module.js';
export { TaskHandler, type DefinitionHandlerDecorator, type FitsDefinition } from './nest/task-handler.decorator.js';
export type { TaskHandlerOptions } from './nest/task-handler-options.interface.js';
export { TaskScheduler } from './nest/task-scheduler.service.js';
// Recurring schedules
export { Recurring, type RecurringDeclaration } from './nest/recurring.decorator.js';
export type { MisfirePolicy, RecurringInfo, RecurringOptions } from './interfaces/recurring-options.interface.js';
export type { RecurringRecord, RecurringStep, RecurringStoreMethods } from './interfaces/recurring-store.interface.js';
export type {
  ClaimableHandler,
  DeploymentStoreMethods,
  PauseState,
  RateLimit,
  WorkerRecord,
} from './interfaces/deployment-store.interface.js';
// Deployments (issue 10)
export {
  defineTask,
  type TaskArgs,
  type TaskDefinition,
  type TaskResult,
} from './engine/deployments/task-definition.js';
export type { HandlerLimits } from './engine/deployments/handler-limits.validator.js';
export type { HandlerReference } from './engine/task-builder.js';
export type { WorkerInfo } from './interfaces/worker-info.interface.js';
export { TASK_STORE, TASK_QUEUE_OPTIONS, DEFAULT_RETRY_STRATEGY } from './nest/task-queue.tokens.js';
// The stores are also at `nest-task-queue/redis` and `/postgres`. Observability is at `nest-task-queue/observability`
// only: its types name prom-client, OpenTelemetry and Terminus, which an app without those peers cannot resolve.
export * from './stores/redis/index.js';
export * from './stores/postgres/index.js';
