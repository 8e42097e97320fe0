import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { TaskCancelledError } from '../../errors/task-cancelled.error.js';
import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import type { StoreSignal } from '../../interfaces/task-store.interface.js';
import { Messages } from '../../task-queue.messages.js';
import type { HandlerRegistry } from '../handler-registry.js';
import type { LevelLogger } from '../level-logger.js';
import type { ResolvedTaskQueueOptions } from '../resolved-task-queue.options.js';
import type { TaskDefaultsResolver } from '../task-defaults.resolver.js';
import type { TaskEventHub } from '../task-event-hub.js';
import { LeaseHeartbeat } from './lease.heartbeat.js';
import { TaskAttemptRunner } from './task-attempt.runner.js';
import { TaskClaimLoop } from './task-claim.loop.js';
import { TaskDeadlineTimer } from './task-deadline.timer.js';
import { TaskIdleTracker } from './task-idle.tracker.js';
import { ClaimHandlersPlan } from './claim-handlers.plan.js';
import { ForeignTaskHandBack } from './foreign-task.hand-back.js';
import { WorkerPresence } from './worker-presence.js';
import type { TaskAttempt } from '../task-attempt.js';

/** After aborting tasks at shutdown, how long they get to notice and report. */
const ABORT_GRACE_MS = 1_000;

/** Whether the worker loop runs, and how many claims in a row have failed (0: the last one worked). */
export interface TaskWorkerStatus {
  state: 'stopped' | 'running' | 'stopping';
  claimFailures: number;
}

/**
 * This process's worker: claims due tasks up to `concurrency` and runs them. It composes the parts (claim loop,
 * attempt runner, deadline timer, lease heartbeat, idle tracker), runs their lifecycle and routes the store's
 * signals, the one path by which added work and cancels reach it.
 */
export class TaskWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private state: TaskWorkerStatus['state'] = 'stopped';
  private unsubscribe: (() => void) | undefined;
  private readonly deadlines = new TaskDeadlineTimer();
  private readonly runner: TaskAttemptRunner;
  private readonly loop: TaskClaimLoop;
  private readonly heartbeat: LeaseHeartbeat;
  private readonly idle: TaskIdleTracker;
  private readonly plan: ClaimHandlersPlan;
  private readonly foreign: ForeignTaskHandBack;
  private readonly presence: WorkerPresence;
  /** Told when an occurrence of a recurring schedule starts here, so its schedule adds the next (lib/engine/recurring). */
  onRecurringStart: ((task: TaskRecord) => void) | undefined;

  constructor(
    private readonly options: ResolvedTaskQueueOptions,
    registry: HandlerRegistry,
    events: TaskEventHub,
    private readonly logger: LevelLogger,
    defaults: TaskDefaultsResolver,
  ) {
    const { store } = options;
    const active = () => this.state === 'running';
    this.plan = new ClaimHandlersPlan(registry, store.supportsDeployments === true);
    this.foreign = new ForeignTaskHandBack(store, logger);
    this.runner = new TaskAttemptRunner({
      store,
      registry,
      events,
      logger,
      defaults,
      deadlines: this.deadlines,
      active,
      ended: (attempt: TaskAttempt) => {
        const freedCap = this.plan.ended(attempt.handler);
        this.idle.attemptEnded();
        // Claims left the handler out while at its cap: its tasks may wait, unclaimed and unsignalled.
        if (freedCap) this.loop.requestDrain();
        else this.loop.continue();
      },
      handlerSettled: () => this.loop.requestDrain(),
    });
    const host = {
      active,
      free: () => {
        const free = options.concurrency - this.runner.busy(options.concurrency);
        return free > 0 && !this.plan.claimable() ? 0 : free;
      },
      running: () => this.runner.attempts.size,
      handlers: () => this.plan.handlers(),
      run: (task: TaskRecord) => {
        const entry = registry.get(task.handler);
        if (entry === undefined) return void this.foreign.handBack(task);
        this.plan.started(task.handler);
        this.runner.run(task, entry);
        if (task.metadata?.recurringKey !== undefined) this.onRecurringStart?.(task);
      },
      settled: () => this.idle.settle(),
    };
    this.loop = new TaskClaimLoop(store, this.id, host, logger);
    this.heartbeat = new LeaseHeartbeat(store, this.runner.attempts, logger);
    this.presence = new WorkerPresence(
      store,
      {
        id: this.id,
        handlers: () => registry.names(),
        concurrency: options.concurrency,
        running: () => this.runner.attempts.size,
      },
      logger,
    );
    this.idle = new TaskIdleTracker(
      () => this.state === 'running' && (this.runner.attempts.size > 0 || !this.loop.quiet),
      () => this.runner.attempts.size,
    );
  }

  get running(): number {
    return this.runner.attempts.size;
  }

  get status(): TaskWorkerStatus {
    return { state: this.state, claimFailures: this.loop.claimFailures };
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.state = 'running';
    this.unsubscribe = this.options.store.subscribe(this.onSignal);
    this.heartbeat.start();
    this.presence.start();
    this.loop.start();
  }

  /** A handler was registered after start: it may have work waiting. */
  handlersChanged(): void {
    if (this.state === 'running') this.loop.requestDrain();
  }

  /** Stops claiming; waits up to `timeoutMs` for running tasks, then aborts them. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.loop.pause();
    await this.loop.inFlight;
    const running = this.runner.attempts.size;
    if (running > 0) {
      this.logger.log(`Waiting up to ${timeoutMs} ms for ${running} running task(s) to finish`);
      if (!(await this.idle.whenEmpty(timeoutMs))) {
        const still = this.runner.attempts.size;
        this.logger.warn(`Aborting ${still} task(s) still running after shutdownTimeout (${timeoutMs} ms)`);
        this.runner.abortAll();
        await this.idle.whenEmpty(ABORT_GRACE_MS);
      }
    }
    // Subscribed until now: a cancel reaches the tasks that drain (its signal is the only path to them).
    this.unsubscribe?.();
    this.heartbeat.stop();
    await this.presence.stop();
    this.deadlines.close();
    this.loop.close();
    this.state = 'stopped';
    this.idle.settle();
  }

  /** Resolves when nothing runs, nothing due waits to be claimed and no schedule() is in flight. */
  whenIdle(): Promise<void> {
    return this.idle.whenIdle();
  }

  /** A schedule() call began: whenIdle() waits for it. */
  beginAdd(): void {
    this.idle.beginAdd();
  }

  /** A schedule() call finished. Its tasks reach the worker as the store's wake signal, before this. */
  endAdd(): void {
    this.idle.endAdd();
  }

  /** The one path of each event to this worker: added or due work (wake) and cancels, local or remote. */
  private readonly onSignal = (signal: StoreSignal): void => {
    if (signal.type === 'finished') return;
    if (signal.type === 'cancel') {
      this.runner.attempts.get(signal.taskId)?.abort(new TaskCancelledError(Messages.cancelled(signal.taskId)));
    } else if (this.state !== 'running') return;
    else if (signal.reconnected) this.loop.storeReconnected();
    else if (signal.inMs === undefined || signal.inMs <= 0) this.loop.requestDrain();
    else this.loop.wakeIn(signal.inMs);
  };
}
