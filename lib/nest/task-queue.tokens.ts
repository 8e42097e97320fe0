/** The engine instance behind the module (internal). */
export const TASK_QUEUE = Symbol('task-queue:engine');
/** Inject the store the module uses: `@Inject(TASK_STORE) store: ITaskStore`. */
export const TASK_STORE = Symbol('task-queue:store');
/** Inject the default retry strategy: `@Inject(DEFAULT_RETRY_STRATEGY) strategy: IRetryStrategy`. */
export const DEFAULT_RETRY_STRATEGY = Symbol('task-queue:default-retry-strategy');
