import { NonRetryableError } from '../../errors/non-retryable.error.js';
import { TaskAbortedError } from '../../errors/task-aborted.error.js';
import { TaskCancelledError } from '../../errors/task-cancelled.error.js';
import { UnknownTaskHandlerError } from '../../errors/unknown-task-handler.error.js';
import type { TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { reviveRetryStrategy } from '../../retry/revive-retry-strategy.js';
import { Messages } from '../../task-queue.messages.js';
import { describeError } from '../describe-error.js';
import type { HandlerRegistry, RegisteredHandler } from '../handler-registry.js';
import type { LevelLogger } from '../level-logger.js';
import { TaskAttempt } from '../task-attempt.js';
import type { TaskDefaultsResolver } from '../task-defaults.resolver.js';
import { toTaskError } from '../task-error.mapper.js';
import type { TaskEventHub } from '../task-event-hub.js';
import type { TaskDeadlineTimer } from './task-deadline.timer.js';
import { AttemptFlows } from '../flows/attempt-flows.js';
import { RateLimitedError } from '../../errors/rate-limited.error.js';
import { DeploymentMessages } from '../deployments/deployment.messages.js';
import { AttemptReports, whenRecorded } from './attempt-reports.js';

const NOOP = (): void => {};

/** What the runner needs around it. */
export interface TaskAttemptContext {
  store: ITaskStore;
  registry: HandlerRegistry;
  events: TaskEventHub;
  logger: LevelLogger;
  defaults: TaskDefaultsResolver;
  deadlines: TaskDeadlineTimer;
  /** The worker is running; a task claimed while it stops is aborted at once. */
  active(): boolean;
  /** An attempt ended (reported, or failed to): the worker may claim again, or be idle. */
  ended(attempt: TaskAttempt): void;
  /** A handler settled and its report is on its way to a remote store: its slot is free (see `busy`). */
  handlerSettled(): void;
}

/** Reports on their way to a remote store whose slots are free again: at most this many per slot of concurrency. */
const FREED_REPORTS_PER_SLOT = 1;

/** Runs claimed tasks: one attempt each, invoking the handler, reporting the outcome, choosing a retry delay. */
export class TaskAttemptRunner {
  /** The attempts running now, by task id (until their report landed). */
  readonly attempts = new Map<string, TaskAttempt>();
  /**
   * Attempts among them whose handler settled and whose report is on its way: their slots are free, so the next
   * claim goes out with the reports instead of a round trip after them (at most FREED_REPORTS_PER_SLOT per slot).
   */
  private reportingNow = 0;
  private readonly flows: AttemptFlows;
  private readonly reports: AttemptReports;

  constructor(private readonly context: TaskAttemptContext) {
    this.flows = new AttemptFlows(context.store, context.events, context.logger);
    this.reports = new AttemptReports(context.store);
  }

  /** Runs one attempt of `task` with its handler (`entry`; looked up if not given). */
  run(task: TaskRecord, entry: RegisteredHandler | undefined = this.context.registry.get(task.handler)): void {
    const { events, logger } = this.context;
    const attempt = new TaskAttempt(task, entry, Date.now());
    attempt.onProgress = this.flows.onProgress;
    // Its previous attempt still reporting (the store recorded a retry due at once, its answer is on its way)
    // leaves the map now: it no longer counts among the attempts whose slot was freed.
    const previous = this.attempts.get(task.id);
    if (previous?.reporting) this.unreporting(previous);
    this.attempts.set(task.id, attempt);
    this.context.deadlines.track(attempt);
    if (events.active) events.started(task, task.attempts, attempt.startedAt - task.runAt);
    if (logger.debugEnabled) logger.debug(`Task ${task.id} (${task.handler}) started, attempt ${task.attempts}`);
    if (!this.context.active()) attempt.abort(new TaskAbortedError(Messages.shuttingDown(task.id)));
    this.begin(attempt);
  }

  /** Attempts whose handler still runs, or whose report holds its slot (beyond the cap of freed reports). */
  busy(concurrency: number): number {
    return this.attempts.size - Math.min(this.reportingNow, concurrency * FREED_REPORTS_PER_SLOT);
  }

  /** Aborts every running attempt (shutdown, after shutdownTimeout). */
  abortAll(): void {
    for (const attempt of this.attempts.values()) {
      attempt.abort(new TaskAbortedError(Messages.shuttingDown(attempt.taskId)));
    }
  }

  /**
   * Calls the handler; its outcome concludes the attempt. A plain task (no dependencies to load, no observer's
   * wrapper) takes no async frame: its handler's promise settles it.
   */
  private begin(attempt: TaskAttempt): void {
    if (attempt.task.dependsOn !== undefined || this.context.events.wrapping) return void this.execute(attempt);
    let running: unknown;
    try {
      running = this.invoke(attempt);
    } catch (error) {
      running = Promise.reject(error);
    }
    Promise.resolve(running).then(
      (result) => this.conclude(attempt, false, result),
      (error) => this.conclude(attempt, true, error),
    );
  }

  private async execute(attempt: TaskAttempt): Promise<void> {
    const { events } = this.context;
    let failed = false;
    let outcome: unknown;
    try {
      if (attempt.task.dependsOn !== undefined) await this.flows.loadDependencies(attempt);
      outcome = await (events.wrapping ? events.wrap(attempt, async () => this.invoke(attempt)) : this.invoke(attempt));
    } catch (error) {
      failed = true;
      outcome = error;
    }
    this.conclude(attempt, failed, outcome);
  }

  /** The handler settled: the outcome is reported, then the attempt ends (at once, on a store in this process). */
  private conclude(attempt: TaskAttempt, failed: boolean, outcome: unknown): void {
    this.context.deadlines.untrack(attempt);
    // A timeout or cancel decides the outcome even if the handler ignored the signal and returned.
    if (attempt.abortReason !== undefined) {
      failed = true;
      outcome = attempt.abortReason;
    }
    let reporting: void | Promise<void> = undefined;
    try {
      reporting = this.report(attempt, failed, outcome);
    } catch (error) {
      this.unrecorded(attempt, error);
    }
    if (reporting === undefined) return this.end(attempt);
    attempt.reporting = true;
    this.reportingNow++;
    this.context.handlerSettled();
    reporting.then(
      () => this.end(attempt),
      (error: unknown) => {
        this.unrecorded(attempt, error);
        this.end(attempt);
      },
    );
  }

  private report(attempt: TaskAttempt, failed: boolean, outcome: unknown): void | Promise<void> {
    const settling = this.flows.settle(attempt);
    if (settling !== undefined) return settling.then(() => this.report(attempt, failed, outcome));
    if (failed) return this.reportFailure(attempt, outcome);
    const recorded = this.reports.complete(attempt.lease, outcome, attempt.task);
    if (typeof recorded === 'boolean') return this.succeeded(attempt, recorded);
    return recorded.then((done) => this.succeeded(attempt, done));
  }

  private unrecorded(attempt: TaskAttempt, error: unknown): void {
    const what = `could not record its outcome (${describeError(error)}); it runs again once its lease expires`;
    this.context.logger.error(`Task ${attempt.taskId}: ${what}`);
  }

  private end(attempt: TaskAttempt): void {
    if (attempt.reporting) this.unreporting(attempt);
    // A retry due at once may already run under this id: the store woke the worker while this attempt reported.
    if (this.attempts.get(attempt.taskId) === attempt) this.attempts.delete(attempt.taskId);
    this.context.ended(attempt);
  }

  private unreporting(attempt: TaskAttempt): void {
    attempt.reporting = false;
    this.reportingNow--;
  }

  /** Calls the attempt's handler: what it returns (a promise or a value); throws what it throws. */
  private invoke(attempt: TaskAttempt): unknown {
    const entry = attempt.entry;
    if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerName(attempt.handler));
    if (attempt.abortReason !== undefined) throw attempt.abortReason;
    if (entry.instance !== undefined) return entry.instance.execute(attempt.task.args, attempt);
    return entry.resolve!().then((handler) => handler.execute(attempt.task.args, attempt));
  }

  /** The store answered the success report; `recorded` false: refused (lease lost, or cancelled meanwhile). */
  private succeeded(attempt: TaskAttempt, recorded: boolean): void {
    const { events, logger } = this.context;
    // The store says why in its log, if it needs saying.
    if (!recorded) return;
    if (events.active) events.succeeded(attempt.task, attempt.attempt, Date.now() - attempt.startedAt);
    if (logger.debugEnabled) logger.debug(`Task ${attempt.taskId} (${attempt.handler}) succeeded`);
  }

  /** Reports a failure; at once to a store in this process (see AttemptReports). */
  private reportFailure(attempt: TaskAttempt, thrown: unknown): void | Promise<void> {
    const { store } = this.context;
    const error = toTaskError(thrown);
    // The store already says cancelled; reporting releases the partition. The canceller emitted the event.
    if (thrown instanceof TaskCancelledError) return whenRecorded(this.reports.fail(attempt.lease, error, null), NOOP);
    // Shutdown: hand the task back at once rather than after the lease (a lost lease is refused anyway).
    if (thrown instanceof TaskAbortedError) return whenRecorded(this.reports.fail(attempt.lease, error, 0), NOOP);
    if (thrown instanceof RateLimitedError && store.supportsDeployments && store.postpone !== undefined)
      return this.reportRateLimited(attempt, thrown, error);
    const retryInMs = this.retryDelay(attempt, thrown);
    // Taken before the store call: the store counts the delay from its own, later, now.
    const retryAt = retryInMs === null ? undefined : new Date(Date.now() + retryInMs);
    return whenRecorded(this.reports.fail(attempt.lease, error, retryInMs), (recorded) => {
      if (recorded) this.failed(attempt, error, retryInMs, retryAt);
    });
  }

  private failed(attempt: TaskAttempt, error: TaskError, retryInMs: number | null, retryAt: Date | undefined): void {
    const { events, logger } = this.context;
    if (events.active) {
      const duration = Date.now() - attempt.startedAt;
      events.failed(attempt.task, attempt.attempt, duration, error, retryAt !== undefined, retryAt);
    }
    const what = `Task ${attempt.taskId} (${attempt.handler}) attempt ${attempt.attempt} failed: ${error.message}`;
    if (retryInMs !== null) logger.warn(`${what}; retrying in ${retryInMs} ms`);
    else logger.error(`${what}; no retries left`, error.stack);
  }

  /** The handler asked to slow down: postponed, its retries untouched; a `failed` event that says it runs again. */
  private reportRateLimited(attempt: TaskAttempt, thrown: RateLimitedError, error: TaskError): void | Promise<void> {
    const { events, logger } = this.context;
    const ms = thrown.retryAfterMs;
    const retryAt = new Date(Date.now() + ms);
    return whenRecorded(this.reports.postpone(attempt.lease, ms), (recorded) => {
      if (!recorded) return;
      if (events.active)
        events.failed(attempt.task, attempt.attempt, Date.now() - attempt.startedAt, error, true, retryAt);
      logger.log(DeploymentMessages.rateLimitedAttempt(attempt.taskId, attempt.handler, attempt.attempt, ms));
    });
  }

  /** ms until the next attempt, or null for none (no retries left, not retryable, or the strategy said so). */
  private retryDelay(attempt: TaskAttempt, thrown: unknown): number | null {
    if (thrown instanceof NonRetryableError || thrown instanceof UnknownTaskHandlerError) return null;
    // Counted from the last manual retry(), which gives a fresh budget (attempts keep counting the total).
    const attemptNo = attempt.attempt - (attempt.task.retryBase ?? 0);
    if (attemptNo > attempt.task.maxRetries) return null;
    const own = reviveRetryStrategy(attempt.task.retryStrategy);
    const strategy = this.context.defaults.retryStrategy(own, attempt.entry?.defaults);
    try {
      const delay = strategy.nextDelay(attemptNo, thrown);
      return typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : null;
    } catch (error) {
      const what = `its retry strategy threw (${describeError(error)}); not retrying`;
      this.context.logger.error(`Task ${attempt.taskId}: ${what}`);
      return null;
    }
  }
}
