import type { RecurringRecord, RecurringStoreMethods } from '../../interfaces/recurring-store.interface.js';
import type { NewTask, TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { MAX_TIMER_MS } from '../../task-queue.constants.js';
import { describeError } from '../describe-error.js';
import type { HandlerRegistry } from '../handler-registry.js';
import type { LevelLogger } from '../level-logger.js';
import type { RecurringDefinition } from './recurring-definition.js';
import { RecurringMessages } from './recurring.messages.js';
import { MAX_MISFIRE_RUNS, planStep } from './recurring-step.planner.js';
import { RecurringTimeline } from './recurring-timeline.js';

/**
 * After an occurrence's time, how long other processes wait before they step its schedule themselves: the process
 * that starts an occurrence steps at once, so theirs is the safety net (that one may have died).
 */
export const SAFETY_DELAY_MS = 1_000;
/** Steps lost to another process in a row before waiting for the safety delay. */
const MAX_RACES = 3;

export type RecurringStore = ITaskStore & Required<RecurringStoreMethods>;

/** What the ticker needs around it. */
export interface RecurringTickerHost {
  store: RecurringStore;
  registry: HandlerRegistry;
  logger: LevelLogger;
  /** The task of one occurrence, built as schedule() builds one. */
  occurrence(record: RecurringRecord, at: number, runAt: number, now: number): NewTask;
  /** The step added `task`: events and logs, as for any scheduled task. */
  added(task: NewTask): void;
}

/**
 * Moves the schedules whose handler this process has: each step (recurring-step.planner.ts) is one atomic store
 * call, so processes that step at once make one step. It steps a schedule when one of its occurrences starts in
 * this process (the worker tells it), when the occurrence's time is SAFETY_DELAY_MS past, when the store's safety
 * poll finds a schedule it did not know, and at start-up, before the worker claims (misfire catch-up).
 */
export class RecurringTicker {
  private readonly due = new Map<string, number>();
  private readonly timelines = new Map<string, { fingerprint: string; timeline: RecurringTimeline }>();
  private readonly stepping = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private poll: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(private readonly host: RecurringTickerHost) {}

  /** Catches up every schedule of this process's handlers (before its worker claims), then keeps them moving. */
  async start(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    await this.refresh(true);
    const { pollInterval } = this.host.store;
    if (pollInterval !== undefined && this.ticking)
      this.poll = setInterval(() => void this.refresh(false), pollInterval).unref();
  }

  /** Stops the timers and waits for the steps on their way. */
  async stop(): Promise<void> {
    this.ticking = false;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    this.timer = this.poll = undefined;
    this.timerAt = Infinity;
    this.due.clear();
    await Promise.all(this.stepping.values());
  }

  /** An occurrence started in this process: its schedule adds the next one now. */
  started(task: TaskRecord): void {
    const key = task.metadata?.recurringKey;
    if (typeof key === 'string' && this.ticking) this.kick(key);
  }

  /**
   * One step of `record` now, in any process, with the handler or only its contract (scheduleRecurring() adds
   * the first occurrence this way; the processes that run the handler carry on from there).
   */
  stepNow(record: RecurringRecord): Promise<void> {
    return this.run(record.key, false, record, true);
  }

  /** A schedule was removed here. */
  forget(key: string): void {
    this.due.delete(key);
    this.timelines.delete(key);
  }

  private async refresh(catchUp: boolean): Promise<void> {
    let records: RecurringRecord[];
    try {
      records = await this.host.store.listRecurring();
    } catch (error) {
      this.host.logger.warn(RecurringMessages.stepFailed('*', describeError(error)));
      return;
    }
    const known = new Set<string>();
    for (const record of records) {
      if (this.host.registry.get(record.handler) === undefined) continue;
      known.add(record.key);
      if (catchUp) await this.run(record.key, true, record);
      else if (!this.due.has(record.key) && !this.stepping.has(record.key)) this.kick(record.key);
    }
    for (const key of this.due.keys()) if (!known.has(key)) this.forget(key);
  }

  private kick(key: string): void {
    if (this.stepping.has(key)) this.again.add(key);
    else void this.run(key, false);
  }

  /**
   * Steps `key`, one step at a time per key in this process (a kick meanwhile steps again after). Only schedules
   * of this process's handlers, unless `anyHandler`.
   */
  private run(key: string, catchUp: boolean, known?: RecurringRecord, anyHandler = false): Promise<void> {
    const previous = this.stepping.get(key);
    if (previous !== undefined) return previous.then(() => this.run(key, catchUp, known, anyHandler));
    const running = this.step(key, catchUp, known, anyHandler).finally(() => {
      this.stepping.delete(key);
      if (this.again.delete(key)) this.kick(key);
    });
    this.stepping.set(key, running);
    return running;
  }

  private async step(
    key: string,
    catchUp: boolean,
    known: RecurringRecord | undefined,
    anyHandler: boolean,
  ): Promise<void> {
    const { store } = this.host;
    try {
      for (let race = 0; race < MAX_RACES; race++) {
        const record = race === 0 && known !== undefined ? known : await store.getRecurring(key);
        if (record === undefined) return this.forget(key);
        if (!anyHandler && this.host.registry.get(record.handler) === undefined) return this.forget(key);
        const last = record.lastTaskId === undefined ? undefined : await store.get(record.lastTaskId);
        const now = Date.now();
        const timeline = this.timeline(record);
        const plan = planStep(record, record.definition as RecurringDefinition, timeline, last, now, catchUp);
        if (plan.kind === 'wait') return this.arm(key, Math.max(plan.at, now) + SAFETY_DELAY_MS);
        const task =
          plan.occurrence === undefined ? undefined : this.host.occurrence(record, plan.occurrence, plan.runAt!, now);
        const advanced = await store.advanceRecurring({
          key,
          expectedNextRunAt: record.nextRunAt,
          expectedLastTaskId: record.lastTaskId,
          expectedLast: plan.expectedLast,
          cancelLast: plan.cancelLast,
          task,
          runAt: plan.occurrence,
          nextRunAt: plan.nextRunAt,
        });
        if (!advanced) continue;
        if (plan.capped) this.host.logger.warn(RecurringMessages.capped(key, MAX_MISFIRE_RUNS));
        // No task: the schedule ended, or only its next moved on (a timing change kept the occurrence added).
        if (task === undefined && plan.nextRunAt === null) return this.forget(key);
        if (task === undefined) continue;
        this.host.added(task);
        return this.arm(key, Math.max(task.runAt, now) + SAFETY_DELAY_MS);
      }
      this.arm(key, Date.now() + SAFETY_DELAY_MS);
    } catch (error) {
      this.host.logger.warn(RecurringMessages.stepFailed(key, describeError(error)));
      this.arm(key, Date.now() + SAFETY_DELAY_MS);
    }
  }

  private timeline(record: RecurringRecord): RecurringTimeline {
    const cached = this.timelines.get(record.key);
    if (cached?.fingerprint === record.fingerprint) return cached.timeline;
    const timeline = new RecurringTimeline(record.definition as RecurringDefinition);
    this.timelines.set(record.key, { fingerprint: record.fingerprint, timeline });
    return timeline;
  }

  /** Steps `key` at `at` (only while ticking: a producer steps once, when it schedules). */
  private arm(key: string, at: number): void {
    if (!this.ticking) return;
    this.due.set(key, at);
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.onTimer, Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
    this.timer.unref?.();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let earliest = Infinity;
    for (const [key, at] of this.due) {
      if (at <= now) {
        this.due.delete(key);
        this.kick(key);
      } else earliest = Math.min(earliest, at);
    }
    if (earliest !== Infinity) {
      this.timerAt = earliest;
      this.timer = setTimeout(this.onTimer, Math.min(earliest - now, MAX_TIMER_MS));
      this.timer.unref?.();
    }
  };
}
