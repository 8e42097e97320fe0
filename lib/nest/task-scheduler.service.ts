import { Inject, Injectable } from '@nestjs/common';
import { Observable, share } from 'rxjs';
import type { ArgsRequired, ScheduleArgs, ScheduleItem, TaskQueue } from '../engine/task-queue.js';
import type { ITaskHandler } from '../interfaces/task-handler.interface.js';
import type { ScheduleOptions } from '../interfaces/schedule-options.interface.js';
import type { TaskEvent, TaskObserver } from '../interfaces/task-event.interface.js';
import type { TaskInfo } from '../interfaces/task-info.interface.js';
import type { ListQuery, TaskCounts } from '../interfaces/task-store.interface.js';
import { TASK_QUEUE } from './task-queue.tokens.js';
import type { PurgeQuery } from '../interfaces/purge-query.interface.js';
import type { HandlerArgs } from '../engine/task-queue.js';
import type { RecurringInfo, RecurringOptions } from '../interfaces/recurring-options.interface.js';
import type { WaitForOptions } from '../engine/flows/task-waiters.js';
import type { DefinitionScheduleArgs } from '../engine/task-queue.js';
import type { TaskDefinition } from '../engine/deployments/task-definition.js';
import type { HandlerReference } from '../engine/task-builder.js';
import type { WorkerInfo } from '../interfaces/worker-info.interface.js';

/** What apps inject to schedule, cancel and inspect tasks. */
@Injectable()
export class TaskScheduler {
  /** Every task event of this process. The engine builds events only while someone subscribes. */
  readonly events$: Observable<TaskEvent>;

  constructor(@Inject(TASK_QUEUE) private readonly queue: TaskQueue) {
    this.events$ = new Observable<TaskEvent>((subscriber) =>
      queue.observe({ onTaskEvent: (event) => subscriber.next(event) }),
    ).pipe(share());
  }

  /**
   * Schedules a task for a handler, given by contract (`defineTask`, args typed; no handler needed in this
   * process), by class (args typed from its `execute`) or by registered or defined name. Resolves to the task id
   * once the store has it; rejects with a typed error, storing nothing, on bad input.
   */
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
    return this.queue.schedule(handler as string, args, options);
  }

  /** Schedules many tasks in one store call; one bad item rejects the whole batch, storing nothing. */
  scheduleMany(items: ScheduleItem[]): Promise<string[]> {
    return this.queue.scheduleMany(items);
  }

  /**
   * Resolves with the task once it finished (succeeded, failed or cancelled), wherever it ran; rejects with
   * `TaskWaitTimeoutError` after `timeout`, the signal's reason on abort, `UnknownTaskError` for an unknown id.
   */
  waitFor(taskId: string, options?: WaitForOptions): Promise<TaskInfo> {
    return this.queue.waitFor(taskId, options);
  }

  /** True if the task was waiting or pending (it never runs) or running (its signal aborts); false if finished or unknown. */
  cancel(taskId: string): Promise<boolean> {
    return this.queue.cancel(taskId);
  }

  /** A snapshot of the task, or undefined if unknown (or removed by retention). */
  getTask(taskId: string): Promise<TaskInfo | undefined> {
    return this.queue.getTask(taskId);
  }

  /** Tasks, newest first, filtered by status and handler. */
  listTasks(query?: ListQuery): Promise<TaskInfo[]> {
    return this.queue.listTasks(query);
  }

  /** How many tasks the store holds in each status. */
  counts(): Promise<TaskCounts> {
    return this.queue.counts();
  }

  // --- Operators: retry, remove, purge ---

  /**
   * A `failed` or `cancelled` task becomes `pending`, due now, with a fresh retry budget (`maxRetries` again;
   * `attempts` keeps counting the total); a partition task queues behind its partition's due tasks. True if
   * re-queued; false if unknown, or not failed or cancelled (or cancelled while running and not yet stopped).
   * A re-queued task is scheduled again: this process emits a `scheduled` event for it.
   */
  retry(taskId: string): Promise<boolean> {
    return this.queue.retry(taskId);
  }

  /**
   * Deletes a task that is not running. A waiting or pending one never runs: it is cancelled as it goes, so its
   * dependents (`dependsOn`) follow their `onDependencyFailure` as for a cancelled dependency. True if removed;
   * false if running, unknown, or finished while an unfinished task depends on it (it is kept for that task).
   */
  remove(taskId: string): Promise<boolean> {
    return this.queue.remove(taskId);
  }

  /**
   * Removes the finished tasks matching `status` (required), `handler` and `finishedBefore`; resolves to how many.
   * Tasks an unfinished task depends on are skipped (a later purge takes them). Durable stores remove them in
   * batches, never in one long delete holding locks.
   */
  purge(query: PurgeQuery): Promise<number> {
    return this.queue.purge(query);
  }

  // --- end of operators ---

  /**
   * Registers your own hooks (events, metadata stamped at schedule(), a wrapper around each attempt), on the
   * same path as metrics and traces; returns the function that removes them.
   */
  observe(observer: TaskObserver): () => void {
    return this.queue.observe(observer);
  }

  // --- Recurring schedules ---

  /**
   * Creates or updates the recurring schedule `key` (cron or every): each occurrence is an ordinary task with the
   * id `key@<ISO time>`, added once per cluster however many processes run. Resolves to the schedule as stored.
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
  scheduleRecurring(
    key: string,
    handler: HandlerReference,
    args: unknown,
    options: RecurringOptions,
  ): Promise<RecurringInfo> {
    return this.queue.scheduleRecurring(key, handler as string, args, options);
  }

  /** Removes the schedule, and its next occurrence if that has not started; true if it existed. */
  removeRecurring(key: string): Promise<boolean> {
    return this.queue.removeRecurring(key);
  }

  /** The schedule, or undefined if there is none with this key. */
  getRecurring(key: string): Promise<RecurringInfo | undefined> {
    return this.queue.getRecurring(key);
  }

  /** Every recurring schedule in the store, by key. */
  listRecurring(): Promise<RecurringInfo[]> {
    return this.queue.listRecurring();
  }

  // --- end of recurring schedules ---
  // --- Deployments ---

  /**
   * Pauses a handler (contract, class or name; it need not run in this process), or with none the whole queue:
   * no attempt of it starts anywhere until `resume()`. Running tasks finish; paused tasks stay pending. On durable
   * stores the flag is in the store, so it holds for every process and survives restarts.
   */
  pause(handler?: HandlerReference): Promise<void> {
    return this.queue.pause(handler);
  }

  /** Resumes what `pause()` paused; the workers are woken at once. */
  resume(handler?: HandlerReference): Promise<void> {
    return this.queue.resume(handler);
  }

  /** Whether the handler (none: the whole queue) is paused. */
  isPaused(handler?: HandlerReference): Promise<boolean> {
    return this.queue.isPaused(handler);
  }

  /** The live workers sharing the store, each with the handlers it runs; a dead one drops out after about a `leaseTime`. */
  listWorkers(): Promise<WorkerInfo[]> {
    return this.queue.listWorkers();
  }

  // --- end of deployments ---

  /** Resolves when nothing runs and nothing due waits in this process (for tests and scripts). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }
}
