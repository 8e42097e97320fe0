import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';
import { TaskQueueError } from '../errors/task-queue.error.js';
import type { ITaskHandler } from '../interfaces/task-handler.interface.js';
import type { ScheduleOptions } from '../interfaces/schedule-options.interface.js';
import type { TaskObserver } from '../interfaces/task-event.interface.js';
import type { TaskInfo } from '../interfaces/task-info.interface.js';
import type { NewTask } from '../interfaces/task-record.interface.js';
import type { TaskQueueOptions } from '../interfaces/task-queue-options.interface.js';
import type { AddOptions, ITaskStore, ListQuery, TaskCounts } from '../interfaces/task-store.interface.js';
import { Messages } from '../task-queue.messages.js';
import { HandlerRegistry, type HandlerSource, type TaskHandlerDefaults } from './handler-registry.js';
import { LevelLogger } from './level-logger.js';
import { TaskBuilder, type HandlerReference } from './task-builder.js';
import { TaskDefaultsResolver } from './task-defaults.resolver.js';
import { TaskEventHub } from './task-event-hub.js';
import { toTaskInfo } from './task-info.mapper.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';
import { resolveTaskQueueOptions } from './task-queue-options.resolver.js';
import { TaskWorker, type TaskWorkerStatus } from './worker/task-worker.js';
import { canBeTaskId, textProblem } from '../validation/text.validator.js';
import type { ClassReference } from '../interfaces/class-reference.js';
import type { PurgeQuery } from '../interfaces/purge-query.interface.js';
import { TaskOperators } from '../operators/task-operators.js';
import type { RecurringInfo, RecurringOptions } from '../interfaces/recurring-options.interface.js';
import { RecurringSchedules } from './recurring/recurring-schedules.js';
import { assertNoCycle } from './flows/dependency-options.validator.js';
import { TaskWaiters, type WaitForOptions } from './flows/task-waiters.js';
import type { TaskDefinition } from './deployments/task-definition.js';
import { TaskDeployments } from './deployments/task-deployments.js';
import type { WorkerInfo } from '../interfaces/worker-info.interface.js';
import { localPathOf, type LocalTaskStore } from '../interfaces/local-task-store.interface.js';

/** One item of `scheduleMany`. */
export interface ScheduleItem {
  handler: HandlerReference;
  args?: unknown;
  options?: ScheduleOptions;
}

/**
 * The engine without Nest: handlers, a store, a worker. The Nest module wraps one of these; scripts and
 * benchmarks can use it directly. Lifecycle: `init()` (store), `start()` (worker), `stop()` (drain), `close()`.
 */
export class TaskQueue {
  readonly options: ResolvedTaskQueueOptions;
  private readonly registry = new HandlerRegistry();
  private readonly events = new TaskEventHub();
  private readonly logger: LevelLogger;
  private readonly builder: TaskBuilder;
  private readonly worker: TaskWorker;
  private initializing: Promise<void> | undefined;
  private initialized = false;
  /** close() began: start() starts nothing more. */
  private closing = false;
  private starting: Promise<void> | undefined;
  private announced = false;
  private readonly addOptions: AddOptions | undefined;
  private readonly recurring: RecurringSchedules;
  private readonly waiters: TaskWaiters;
  private readonly deployments: TaskDeployments;

  /** The store is required: the engine picks no default (`createTaskQueue()` does: in-memory). */
  constructor(options: TaskQueueOptions) {
    this.options = resolveTaskQueueOptions(options);
    this.logger = new LevelLogger(this.options.logger, this.options.logLevel);
    const defaults = new TaskDefaultsResolver(this.options);
    this.builder = new TaskBuilder(this.registry, this.options, defaults);
    this.worker = new TaskWorker(this.options, this.registry, this.events, this.logger, defaults);
    this.addOptions = this.options.maxQueueSize === undefined ? undefined : { maxPending: this.options.maxQueueSize };
    this.recurring = new RecurringSchedules({
      store: this.options.store,
      registry: this.registry,
      builder: this.builder,
      logger: this.logger,
      added: (task) => this.scheduled([task], [true]),
      call: (operation, run) => this.call(operation, run),
    });
    this.worker.onRecurringStart = (task) => this.recurring.ticker.started(task);
    this.waiters = new TaskWaiters(this.options.store, (operation, run) => this.call(operation, run));
    this.deployments = new TaskDeployments(this.options.store, this.registry, (operation, run) =>
      this.call(operation, run),
    );
  }

  get store(): ITaskStore {
    return this.options.store;
  }

  /** Registers a handler under a name (unique; a second one with the name throws `DuplicateTaskHandlerError`). */
  registerHandler(name: string, handler: HandlerSource, defaults?: TaskHandlerDefaults, target?: ClassReference): void {
    this.registry.register(name, handler, defaults, target);
    this.worker.handlersChanged();
  }

  /** Connects the store (migrations, subscriptions). Idempotent. */
  init(): Promise<void> {
    this.initializing ??=
      this.options.store.init?.({ retention: this.options.retention, logger: this.logger.asLogger() }).then(() => {
        this.initialized = true;
      }) ??
      Promise.resolve().then(() => {
        this.initialized = true;
      });
    return this.initializing;
  }

  /**
   * Initialises if needed, then starts the worker unless `autoStart` is false; logs what runs, once. Starts nothing
   * once `close()` began (a shutdown signal while the app still connects).
   */
  start(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.starting = this.startOnce();
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    await this.init();
    if (this.closing) return;
    await this.recurring.upsertDeclared(this.options.pruneRecurring);
    // Before the worker claims: a worker that starts decides first about occurrences missed meanwhile (misfire).
    if (this.options.autoStart) this.deployments.checkLimitsSupported();
    if (this.options.autoStart && this.recurring.supported) await this.recurring.ticker.start();
    if (this.options.autoStart) this.worker.start();
    if (this.announced) return;
    this.announced = true;
    const { store, concurrency, autoStart } = this.options;
    const where = store.describe?.() ?? store.constructor?.name ?? 'a custom store';
    this.logger.log(Messages.started(where, this.registry.names(), concurrency, autoStart));
  }

  /** Schedules a task; resolves to its id once the store has it. */
  schedule<H extends ITaskHandler<any, any>>(
    handler: abstract new (...args: any[]) => H,
    ...rest: ScheduleArgs<H>
  ): Promise<string>;
  schedule<H extends ITaskHandler<any, any>>(
    handler: (abstract new (...args: any[]) => H) & ArgsRequired<H>,
  ): Promise<string>;
  schedule<A, R>(definition: TaskDefinition<A, R>, ...rest: DefinitionScheduleArgs<A>): Promise<string>;
  schedule(handler: string, args?: unknown, options?: ScheduleOptions): Promise<string>;
  schedule(handler: HandlerReference, args?: unknown, options?: ScheduleOptions): Promise<string> {
    let task: NewTask;
    try {
      task = this.builder.build(handler, args, options, Date.now());
    } catch (error) {
      return Promise.reject(error);
    }
    // Not an async function: one async frame (add's) per call on the hot path, not two.
    return this.add([task], task.id, options?.transaction);
  }

  /** Schedules many tasks in one store call: all are checked first, so one bad item adds nothing. */
  async scheduleMany(items: ScheduleItem[]): Promise<string[]> {
    const now = Date.now();
    const tasks = items.map((item) => this.builder.build(item.handler, item.args, item.options, now));
    assertNoCycle(tasks);
    const transaction = items[0]?.options?.transaction;
    if (items.some((item) => item.options?.transaction !== transaction))
      throw new InvalidTaskOptionsError(Messages.mixedTransactions());
    return this.add(
      tasks,
      tasks.map((task) => task.id),
      transaction,
    );
  }

  /**
   * Resolves with the task once it finished (succeeded, failed or cancelled: a failed task does not reject), in
   * this process or any other. Rejects with `TaskWaitTimeoutError` after `timeout`, with the signal's reason on
   * abort, with `UnknownTaskError` for an id the store does not know, with `TaskQueueError` if the queue closes
   * first. Works without a worker (`autoStart: false`).
   */
  async waitFor(taskId: string, options?: WaitForOptions): Promise<TaskInfo> {
    if (!this.initialized) await this.init();
    return this.waiters.waitFor(taskId, options);
  }

  /**
   * True if the task was waiting, pending or running; false if finished or unknown. A running task's signal aborts
   * through the store's `cancel` signal, which reaches the worker running it (here or elsewhere).
   */
  async cancel(taskId: string): Promise<boolean> {
    if (!canBeTaskId(taskId)) return false;
    const cancelled = await this.call('cancel', () => this.options.store.cancel(taskId));
    if (cancelled === undefined) return false;
    if (this.events.active) this.events.cancelled(cancelled, cancelled.attempts);
    this.logger.debug(`Task ${taskId} (${cancelled.handler}) cancelled`);
    return true;
  }

  async getTask(taskId: string): Promise<TaskInfo | undefined> {
    if (!canBeTaskId(taskId)) return undefined;
    const record = await this.call('getTask', () => this.options.store.get(taskId));
    return record === undefined ? undefined : toTaskInfo(record);
  }

  async listTasks(query?: ListQuery): Promise<TaskInfo[]> {
    if (query?.handler !== undefined && textProblem(query.handler) !== undefined) return [];
    return (await this.call('listTasks', () => this.options.store.list(query))).map(toTaskInfo);
  }

  counts(): Promise<TaskCounts> {
    return this.call('counts', () => this.options.store.counts());
  }

  // --- Operators: retry, remove, purge (lib/operators) ---

  /** A failed or cancelled task runs again, due now, with a fresh retry budget. True if re-queued. */
  async retry(taskId: string): Promise<boolean> {
    if (!canBeTaskId(taskId)) return false;
    const { store } = this.options;
    // A retried task is scheduled again, for observers and metrics too. What the event names (handler, metadata)
    // a retry does not change: read first, so that the event goes out as the store answers (as schedule()'s do),
    // before this worker's claim can start the task.
    const subject = this.events.active ? await this.call('retry', () => store.get(taskId)) : undefined;
    const requeued = (done: boolean): boolean => {
      if (done && subject !== undefined) this.events.scheduled(subject, Date.now());
      return done;
    };
    // A store in this process answers at once: the event goes out before its (as quick) claim starts the task.
    const local = localPathOf(store);
    const retried = await this.call('retry', async () =>
      local !== undefined ? requeued(local.retry(taskId)) : TaskOperators.retry(store, taskId).then(requeued),
    );
    if (retried) this.logger.debug(`Task ${taskId} retried by an operator`);
    return retried;
  }

  /**
   * Deletes a task that is not running (a waiting or pending one is cancelled as it goes: its dependents settle).
   * True if removed; false if running, unknown, or finished while an unfinished task depends on it.
   */
  async remove(taskId: string): Promise<boolean> {
    if (!canBeTaskId(taskId)) return false;
    return this.call('remove', () => TaskOperators.remove(this.options.store, taskId));
  }

  /** Removes finished tasks matching the query (none an unfinished task depends on), in batches; how many. */
  purge(query: PurgeQuery): Promise<number> {
    return this.call('purge', () => TaskOperators.purge(this.options.store, query));
  }

  // --- end of operators ---
  // --- Recurring schedules (lib/engine/recurring) ---

  /**
   * Creates or updates the recurring schedule `key`: each occurrence is an ordinary task with the id
   * `key@<ISO time>`, added once per cluster. Rejects with a typed error, storing nothing, on bad input.
   */
  scheduleRecurring<H extends ITaskHandler<any, any>>(
    key: string,
    handler: abstract new (...args: any[]) => H,
    args: HandlerArgs<H>,
    options: RecurringOptions,
  ): Promise<RecurringInfo>;
  scheduleRecurring<A>(
    key: string,
    definition: TaskDefinition<A, any>,
    args: A,
    options: RecurringOptions,
  ): Promise<RecurringInfo>;
  scheduleRecurring(key: string, handler: string, args: unknown, options: RecurringOptions): Promise<RecurringInfo>;
  async scheduleRecurring(
    key: string,
    handler: HandlerReference,
    args: unknown,
    options: RecurringOptions,
  ): Promise<RecurringInfo> {
    if (!this.initialized) await this.init();
    return this.recurring.schedule(key, handler, args, options);
  }

  /** Removes the schedule (and its next occurrence, if that has not started); true if it existed. */
  async removeRecurring(key: string): Promise<boolean> {
    if (!this.initialized) await this.init();
    return this.recurring.remove(key);
  }

  async getRecurring(key: string): Promise<RecurringInfo | undefined> {
    if (!this.initialized) await this.init();
    return this.recurring.get(key);
  }

  /** Every recurring schedule of the store, by key. */
  async listRecurring(): Promise<RecurringInfo[]> {
    if (!this.initialized) await this.init();
    return this.recurring.list();
  }

  /** A @Recurring() schedule, checked now and upserted by `start()` (in every process). */
  declareRecurring(
    key: string | undefined,
    handler: string,
    args: unknown,
    options: RecurringOptions,
    className: string,
  ): void {
    this.recurring.declare(key, handler, args, options, className);
  }

  // --- end of recurring schedules ---
  // --- Deployments: pause, workers (lib/engine/deployments) ---

  /** Pauses a handler (a contract, class or name), or with none the whole queue, in every process of the store. */
  pause(handler?: HandlerReference): Promise<void> {
    return this.deployments.setPaused(handler, true, 'pause');
  }

  /** Resumes what `pause()` paused; the workers are woken at once. */
  resume(handler?: HandlerReference): Promise<void> {
    return this.deployments.setPaused(handler, false, 'resume');
  }

  /** Whether the handler (none: the whole queue) is paused. */
  isPaused(handler?: HandlerReference): Promise<boolean> {
    return this.deployments.isPaused(handler);
  }

  /** The live workers sharing the store, with the handlers each runs. */
  listWorkers(): Promise<WorkerInfo[]> {
    return this.deployments.listWorkers();
  }

  // --- end of deployments ---

  /** Resolves when nothing runs and nothing due waits here; delayed tasks not yet due do not count. */
  whenIdle(): Promise<void> {
    return this.worker.whenIdle();
  }

  /** Tasks running in this process now. */
  get running(): number {
    return this.worker.running;
  }

  /** The worker of this process, for health checks: whether it runs, and how many claims in a row failed. */
  get workerStatus(): TaskWorkerStatus {
    return this.worker.status;
  }

  /** Registers an observer (events, schedule-time metadata, a wrapper around each attempt); returns its remover. */
  observe(observer: TaskObserver): () => void {
    return this.events.observe(observer);
  }

  /** Stops claiming and lets running tasks finish for up to `shutdownTimeout` ms, then aborts them. */
  async stop(): Promise<void> {
    // Both begin now (the worker is 'stopping' once stop() returns); the steps on their way land meanwhile.
    const ticker = this.recurring.ticker.stop();
    await this.worker.stop(this.options.shutdownTimeout);
    await ticker;
  }

  /**
   * stop(), then releases the store (the in-memory store logs the pending tasks it drops). A start() or init() still
   * connecting lands first: the store it connects is then closed too, and the worker is not started.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.starting?.catch(() => undefined);
    await this.initializing?.catch(() => undefined);
    await this.stop();
    // After the drain (a task it finished answers its waits), before the store goes.
    this.waiters.close();
    await this.options.store.close?.();
  }

  /** Adds the tasks to the store and resolves to `result` (the id or ids the caller returns). */
  private add<T>(tasks: NewTask[], result: T, transaction?: unknown): Promise<T> {
    const local = this.initialized && transaction === undefined ? localPathOf(this.options.store) : undefined;
    return local === undefined ? this.addLater(tasks, result, transaction) : this.addNow(local, tasks, result);
  }

  /** A store in this process adds at once: the tasks are in when schedule() returns, no add is in flight. */
  private addNow<T>(local: LocalTaskStore, tasks: NewTask[], result: T): Promise<T> {
    if (this.events.stamping) for (const task of tasks) this.events.stamp(task);
    let added: boolean[];
    try {
      added = local.add(tasks, this.addOptions);
    } catch (error) {
      return Promise.reject(storeError('schedule', error));
    }
    this.scheduled(tasks, added);
    return Promise.resolve(result);
  }

  private async addLater<T>(tasks: NewTask[], result: T, transaction: unknown): Promise<T> {
    // Before any await: stamps (a trace context) come from the caller's async context.
    if (this.events.stamping) for (const task of tasks) this.events.stamp(task);
    if (!this.initialized) await this.init();
    this.worker.beginAdd();
    let added: boolean[];
    try {
      added = await this.options.store.add(
        tasks,
        transaction === undefined ? this.addOptions : { ...this.addOptions, transaction },
      );
    } catch (error) {
      this.worker.endAdd();
      throw storeError('schedule', error);
    }
    this.scheduled(tasks, added);
    this.worker.endAdd();
    return result;
  }

  /** Events after the store answered, before this worker can start the task (its claim is on its way). */
  private scheduled(tasks: NewTask[], added: boolean[]): void {
    if (this.events.active)
      for (let i = 0; i < tasks.length; i++) if (added[i]) this.events.scheduled(tasks[i]!, tasks[i]!.runAt);
    if (this.logger.debugEnabled)
      for (const task of tasks)
        this.logger.debug(`Task ${task.id} (${task.handler}) scheduled for ${new Date(task.runAt).toISOString()}`);
  }

  /** Store calls: our own errors pass through; anything else means the store could not do it. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storeError(operation, error);
    }
  }
}

function storeError(operation: string, error: unknown): Error {
  if (error instanceof TaskQueueError) return error;
  return new StoreUnavailableError(
    Messages.storeUnavailable(operation, error instanceof Error ? error.message : String(error)),
    { cause: error },
  );
}

/** The args type a handler class declares in `execute(args, ctx)`. */
export type HandlerArgs<H> = H extends ITaskHandler<infer A, any> ? A : unknown;

/** `schedule(Contract, args, options?)`; args may be left out when the contract's args accept undefined. */
export type DefinitionScheduleArgs<A> = undefined extends A
  ? [args?: A, options?: ScheduleOptions]
  : [args: A, options?: ScheduleOptions];

/** `schedule(Handler, args, options?)`; args may be left out when the handler accepts undefined. */
export type ScheduleArgs<H> =
  undefined extends HandlerArgs<H>
    ? [args?: HandlerArgs<H>, options?: ScheduleOptions]
    : [args: HandlerArgs<H>, options?: ScheduleOptions];

/**
 * The overload `schedule(Handler)` meets when the handler's args are required: it fails on a property whose name says
 * so and whose type is the args, so the compiler's first message names them (not "not assignable to string").
 */
export type ArgsRequired<H> =
  undefined extends HandlerArgs<H> ? unknown : { 'missing args (this handler needs them)': HandlerArgs<H> };
