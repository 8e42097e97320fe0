/** The engine instance behind the module (internal). */
export const TASK_QUEUE = Symbol('task-queue:engine');
/** The provider that hands the engine to `TaskQueueHost` (internal; nothing injects it). */
export const TASK_QUEUE_HOSTED = Symbol('task-queue:engine-hosted');
/** Inject the store the module uses: `@Inject(TASK_STORE) store: ITaskStore`. */
export const TASK_STORE = Symbol('task-queue:store');
/** Inject the default retry strategy: `@Inject(DEFAULT_RETRY_STRATEGY) strategy: IRetryStrategy`. */
export const DEFAULT_RETRY_STRATEGY = Symbol('task-queue:default-retry-strategy');
/**
 * The module's options (what `forRoot` was given, or `forRootAsync`'s factory made). Tests override it, or
 * TASK_STORE, to run an app configured for Redis or PostgreSQL on the in-memory store.
 */
export { MODULE_OPTIONS_TOKEN as TASK_QUEUE_OPTIONS } from './task-queue.module-definition.js';
