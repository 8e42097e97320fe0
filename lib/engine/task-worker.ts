import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BinaryHeap } from '../collections/binary-heap.js';
import { NonRetryableError } from '../errors/non-retryable.error.js';
import { TaskAbortedError } from '../errors/task-aborted.error.js';
import { TaskCancelledError } from '../errors/task-cancelled.error.js';
import { TaskTimeoutError } from '../errors/task-timeout.error.js';
import { UnknownTaskHandlerError } from '../errors/unknown-task-handler.error.js';
import type { TaskRecord } from '../interfaces/task-record.interface.js';
import type { StoreSignal } from '../interfaces/task-store.interface.js';
import { reviveRetryStrategy } from '../retry/revive-retry-strategy.js';
import { Messages } from '../task-queue.messages.js';
import type { HandlerRegistry } from './handler-registry.js';
import type { LevelLogger } from './level-logger.js';
import { EventLoopYield } from './event-loop-yield.js';
import { TaskAttempt } from './task-attempt.js';
import type { TaskEventHub } from './task-event-hub.js';
import { toTaskError } from './task-error.mapper.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';
import type { TaskDefaultsResolver } from './task-defaults.resolver.js';

/** Every this many drains the worker lets timers and I/O run before claiming again. */
const DRAINS_PER_YIELD = 256;
const RESOLVED = Promise.resolve();
/** After aborting tasks at shutdown, how long they get to notice and report. */
const ABORT_GRACE_MS = 1_000;
const MAX_CLAIM_BACKOFF_MS = 30_000;

/** Whether the worker loop runs, and how many claims in a row have failed (0: the last one worked). */
export interface TaskWorkerStatus {
  state: 'stopped' | 'running' | 'stopping';
  claimFailures: number;
}

/**
 * Claims due tasks from the store up to `concurrency`, runs them, reports outcomes, and sleeps on one
 * timer until the next task is due or the store signals new work. No per-task timers: timeouts share one.
 */
export class TaskWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly attempts = new Map<string, TaskAttempt>();
  private readonly deadlines = new BinaryHeap<TaskAttempt>((a, b) => a.deadline < b.deadline);
  private state: 'stopped' | 'running' | 'stopping' = 'stopped';
  /** A claim could return tasks (set by signals, timers, full batches; cleared by a claim). */
  private mayHaveWork = false;
  private claiming: Promise<void> | undefined;
  private drainQueued = false;
  private drains = 0;
  private readonly yielder = new EventLoopYield();
  /** schedule() calls in flight: whenIdle waits for them too. */
  private adding = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineAt = Infinity;
  private heartbeat: NodeJS.Timeout | undefined;
  private safetyPoll: NodeJS.Timeout | undefined;
  private claimFailures = 0;
  private claimAgainAt = 0;
  private unsubscribe: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private emptyWaiters: (() => void)[] = [];

  constructor(
    private readonly options: ResolvedTaskQueueOptions,
    private readonly registry: HandlerRegistry,
    private readonly events: TaskEventHub,
    private readonly logger: LevelLogger,
    private readonly defaults: TaskDefaultsResolver,
  ) {}

  get running(): number {
    return this.attempts.size;
  }

  get status(): TaskWorkerStatus {
    return { state: this.state, claimFailures: this.claimFailures };
  }

  start(): void {
    if (this.state !== 'stopped') return;
    const { store } = this.options;
    this.state = 'running';
    this.unsubscribe = store.subscribe(this.onSignal);
    this.heartbeat = setInterval(this.renewLeases, Math.max(10, store.leaseTime / 3)).unref();
    if (store.pollInterval !== undefined) this.safetyPoll = setInterval(this.requestDrain, store.pollInterval).unref();
    this.requestDrain();
  }

  /** Stops claiming; waits up to `timeoutMs` for running tasks, then aborts them. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    clearTimeout(this.wakeTimer);
    clearInterval(this.safetyPoll);
    await this.claiming;
    if (this.attempts.size > 0) {
      this.logger.log(`Waiting up to ${timeoutMs} ms for ${this.attempts.size} running task(s) to finish`);
      if (!(await this.waitUntilEmpty(timeoutMs))) {
        this.logger.warn(`Aborting ${this.attempts.size} task(s) still running after shutdownTimeout (${timeoutMs} ms)`);
        for (const attempt of this.attempts.values()) attempt.abort(new TaskAbortedError(Messages.shuttingDown(attempt.taskId)));
        await this.waitUntilEmpty(ABORT_GRACE_MS);
      }
    }
    // Subscribed until now: a cancel reaches the tasks that drain (its signal is the only path to them).
    this.unsubscribe?.();
    clearInterval(this.heartbeat);
    clearTimeout(this.deadlineTimer);
    this.yielder.close();
    this.state = 'stopped';
    this.settleIdle();
  }

  /** Resolves when nothing runs, nothing due waits to be claimed and no schedule() is in flight. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  beginAdd(): void {
    this.adding++;
  }

  /** A schedule() call finished. Its tasks reach the worker as the store's wake signal, before this. */
  endAdd(): void {
    this.adding--;
    this.settleIdle();
  }

  /** The one path of each event to this worker: added or due work (wake) and cancels, local or remote. */
  private readonly onSignal = (signal: StoreSignal): void => {
    if (signal.type === 'cancel') {
      this.attempts.get(signal.taskId)?.abort(new TaskCancelledError(Messages.cancelled(signal.taskId)));
    } else if (this.state !== 'running') return;
    else if (signal.inMs === undefined || signal.inMs <= 0) this.requestDrain();
    else this.wakeIn(signal.inMs);
  };

  private readonly requestDrain = (): void => {
    this.mayHaveWork = true;
    if (this.drainQueued || this.state !== 'running') return;
    this.drainQueued = true;
    // Microtasks keep bursts fast; now and then yield so timers and I/O are not starved. (A promise,
    // not queueMicrotask: fake timers replace the latter.)
    if (++this.drains % DRAINS_PER_YIELD !== 0) void RESOLVED.then(this.drain);
    else this.yielder.run(this.drain);
  };

  private readonly drain = (): void => {
    this.drainQueued = false;
    if (this.claiming !== undefined || this.state !== 'running') return;
    const free = this.options.concurrency - this.attempts.size;
    if (!this.mayHaveWork || free <= 0) return this.settleIdle();
    if (this.claimFailures > 0 && Date.now() < this.claimAgainAt) return; // backing off: the wake timer claims
    this.mayHaveWork = false;
    this.claiming = this.claim(free);
  };

  private async claim(limit: number): Promise<void> {
    try {
      const batch = await this.options.store.claim({ workerId: this.id, limit });
      this.claimFailures = 0;
      this.claiming = undefined;
      for (const task of batch.tasks) this.run(task);
      if (batch.tasks.length >= limit) this.mayHaveWork = true;
      if (batch.nextDueInMs !== undefined) this.wakeIn(batch.nextDueInMs);
    } catch (error) {
      this.claiming = undefined;
      this.onClaimError(error);
    }
    if (this.mayHaveWork) this.requestDrain();
    else this.settleIdle();
  }

  private onClaimError(error: unknown): void {
    const delay = Math.min(MAX_CLAIM_BACKOFF_MS, 100 * 2 ** this.claimFailures++);
    this.logger.warn(`Could not claim tasks (${describe(error)}); trying again in ${delay} ms`);
    // Work may still wait (so not idle), but nothing claims before the backoff's timer fires.
    this.mayHaveWork = true;
    this.claimAgainAt = Date.now() + delay;
    if (this.state === 'running') this.wakeIn(delay);
  }

  private run(task: TaskRecord): void {
    const attempt = new TaskAttempt(task, this.registry.get(task.handler), Date.now());
    this.attempts.set(task.id, attempt);
    if (attempt.deadline !== Infinity) this.trackDeadline(attempt);
    if (this.events.active) this.events.started(task, task.attempts, attempt.startedAt - task.runAt);
    if (this.logger.debugEnabled) this.logger.debug(`Task ${task.id} (${task.handler}) started, attempt ${task.attempts}`);
    if (this.state !== 'running') attempt.abort(new TaskAbortedError(Messages.shuttingDown(task.id)));
    void this.execute(attempt);
  }

  private async execute(attempt: TaskAttempt): Promise<void> {
    let failed = false;
    let outcome: unknown;
    try {
      outcome = await (this.events.wrapping ? this.events.wrap(attempt, async () => this.invoke(attempt)) : this.invoke(attempt));
    } catch (error) {
      failed = true;
      outcome = error;
    }
    if (attempt.heapIndex >= 0) this.deadlines.remove(attempt);
    // A timeout or cancel decides the outcome even if the handler ignored the signal and returned.
    if (attempt.abortReason !== undefined) {
      failed = true;
      outcome = attempt.abortReason;
    }
    try {
      if (failed) await this.reportFailure(attempt, outcome);
      else await this.reportSuccess(attempt, outcome);
    } catch (error) {
      this.logger.error(`Task ${attempt.taskId}: could not record its outcome (${describe(error)}); it runs again once its lease expires`);
    }
    // A retry due at once may already run under this id: the store woke the worker while this attempt reported.
    if (this.attempts.get(attempt.taskId) === attempt) this.attempts.delete(attempt.taskId);
    if (this.attempts.size === 0 && this.emptyWaiters.length > 0) this.settleEmpty();
    if (this.mayHaveWork) this.requestDrain();
    else this.settleIdle();
  }

  /** Calls the attempt's handler: what it returns (a promise or a value); throws what it throws. */
  private invoke(attempt: TaskAttempt): unknown {
    const entry = attempt.entry;
    if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerName(attempt.handler));
    if (attempt.abortReason !== undefined) throw attempt.abortReason;
    if (entry.instance !== undefined) return entry.instance.execute(attempt.task.args, attempt);
    return entry.resolve!().then((handler) => handler.execute(attempt.task.args, attempt));
  }

  private async reportSuccess(attempt: TaskAttempt, result: unknown): Promise<void> {
    // Refused (lease lost, or cancelled meanwhile): the store says so in its log, if it needs saying.
    if (!(await this.options.store.complete(attempt.lease, result))) return;
    if (this.events.active) this.events.succeeded(attempt.task, attempt.attempt, Date.now() - attempt.startedAt);
    if (this.logger.debugEnabled) this.logger.debug(`Task ${attempt.taskId} (${attempt.handler}) succeeded`);
  }

  private async reportFailure(attempt: TaskAttempt, thrown: unknown): Promise<void> {
    const { store } = this.options;
    const error = toTaskError(thrown);
    if (thrown instanceof TaskCancelledError) {
      // The store already says cancelled; reporting releases the partition. The canceller emitted the event.
      await store.fail(attempt.lease, error, null);
      return;
    }
    if (thrown instanceof TaskAbortedError) {
      // Shutdown: hand the task back at once rather than after the lease (a lost lease is refused anyway).
      await store.fail(attempt.lease, error, 0);
      return;
    }
    const retryInMs = this.retryDelay(attempt, thrown);
    // Taken before the store call: the store counts the delay from its own, later, now.
    const retryAt = retryInMs === null ? undefined : Date.now() + retryInMs;
    if (!(await store.fail(attempt.lease, error, retryInMs))) return;
    const willRetry = retryInMs !== null;
    if (this.events.active) {
      this.events.failed(attempt.task, attempt.attempt, Date.now() - attempt.startedAt, error, willRetry, retryAt === undefined ? undefined : new Date(retryAt));
    }
    const what = `Task ${attempt.taskId} (${attempt.handler}) attempt ${attempt.attempt} failed: ${error.message}`;
    if (willRetry) this.logger.warn(`${what}; retrying in ${retryInMs} ms`);
    else this.logger.error(`${what}; no retries left`, error.stack);
  }

  private retryDelay(attempt: TaskAttempt, thrown: unknown): number | null {
    if (thrown instanceof NonRetryableError || thrown instanceof UnknownTaskHandlerError) return null;
    if (attempt.attempt > attempt.task.maxRetries) return null;
    const strategy = this.defaults.retryStrategy(reviveRetryStrategy(attempt.task.retryStrategy), attempt.entry?.defaults);
    try {
      const delay = strategy.nextDelay(attempt.attempt, thrown);
      return typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : null;
    } catch (error) {
      this.logger.error(`Task ${attempt.taskId}: its retry strategy threw (${describe(error)}); not retrying`);
      return null;
    }
  }

  private readonly renewLeases = async (): Promise<void> => {
    if (this.attempts.size === 0) return;
    const leases = [...this.attempts.values()].map((attempt) => attempt.lease);
    try {
      const lost = await this.options.store.renew(leases);
      for (const taskId of lost) this.attempts.get(taskId)?.abort(new TaskAbortedError(Messages.leaseLost(taskId)));
    } catch (error) {
      this.logger.warn(`Could not renew task leases (${describe(error)})`);
    }
  };

  private trackDeadline(attempt: TaskAttempt): void {
    this.deadlines.push(attempt);
    // Armed only when a deadline is earlier than the armed one; removals do not re-arm (the timer re-checks).
    if (attempt.deadline < this.deadlineAt) {
      clearTimeout(this.deadlineTimer);
      this.deadlineAt = attempt.deadline;
      this.deadlineTimer = setTimeout(this.onDeadline, Math.max(0, attempt.deadline - Date.now()));
    }
  }

  private readonly onDeadline = (): void => {
    this.deadlineTimer = undefined;
    this.deadlineAt = Infinity;
    const now = Date.now();
    for (let next = this.deadlines.peek(); next !== undefined && next.deadline <= now; next = this.deadlines.peek()) {
      this.deadlines.pop();
      next.abort(new TaskTimeoutError(Messages.timedOut(next.taskId, next.task.timeout!)));
    }
    const next = this.deadlines.peek();
    if (next !== undefined) {
      this.deadlineAt = next.deadline;
      this.deadlineTimer = setTimeout(this.onDeadline, Math.max(0, next.deadline - now));
    }
  };

  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(this.onWakeTimer, ms);
  }

  private readonly onWakeTimer = (): void => {
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
    this.requestDrain();
  };

  private isIdle(): boolean {
    if (this.state !== 'running') return this.adding === 0;
    return this.attempts.size === 0 && this.claiming === undefined && !this.drainQueued && !this.mayHaveWork && this.adding === 0;
  }

  private settleIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private waitUntilEmpty(timeoutMs: number): Promise<boolean> {
    if (this.attempts.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.emptyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private settleEmpty(): void {
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
