import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ClaimBatch, ClaimRequest, ITaskStore } from '../../interfaces/task-store.interface.js';
import { localPathOf, type LocalTaskStore } from '../../interfaces/local-task-store.interface.js';
import { MAX_TIMER_MS } from '../../task-queue.constants.js';
import { describeError } from '../describe-error.js';
import { EventLoopYield } from '../event-loop-yield.js';
import type { LevelLogger } from '../level-logger.js';
import { claimIsStale, handBackStaleClaim } from './stale-claim.hand-back.js';

/** Every this many drains the loop lets timers and I/O run before claiming again. */
const DRAINS_PER_YIELD = 256;
const RESOLVED = Promise.resolve();
const MAX_CLAIM_BACKOFF_MS = 30_000;

/** What the claim loop asks of the worker that runs it. */
export interface TaskClaimHost {
  /** The worker is running (not stopping or stopped): it claims. */
  active(): boolean;
  /** Free slots: concurrency minus running attempts (0 while every handler is at its per-process cap). */
  free(): number;
  /** Attempts running here: when they end, the worker claims again. */
  running(): number;
  /** The `handlers` of a claim (undefined: any handler). */
  handlers(): ClaimRequest['handlers'];
  run(task: TaskRecord): void;
  /** Nothing to claim now: idle waiters may be settled. */
  settled(): void;
}

/**
 * Claims due tasks up to the free slots, and sleeps on one timer until the next task is due, the store signals
 * work or the safety poll fires. Failed claims back off exponentially (up to 30 s), the wake timer retrying.
 * A claim answered too late to hold its leases (a stall, a paused process) is handed back unstarted.
 */
export class TaskClaimLoop {
  /** A claim could return tasks (set by signals, timers, full batches; cleared by a claim). */
  private mayHaveWork = false;
  private claiming: Promise<void> | undefined;
  private drainQueued = false;
  private drains = 0;
  private readonly yielder = new EventLoopYield();
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private safetyPoll: NodeJS.Timeout | undefined;
  private failures = 0;
  private claimAgainAt = 0;
  /** Reconnections the store signalled: a claim that fails after one, though it began before, retries at once. */
  private reconnects = 0;

  constructor(
    private readonly store: ITaskStore,
    private readonly workerId: string,
    private readonly host: TaskClaimHost,
    private readonly logger: LevelLogger,
  ) {}

  /** Claims in a row that failed (0: the last one worked). */
  get claimFailures(): number {
    return this.failures;
  }

  /** Nothing is claiming, about to claim, or known to wait. */
  get quiet(): boolean {
    return this.claiming === undefined && !this.drainQueued && !this.mayHaveWork;
  }

  /** The claim on its way, if any. */
  get inFlight(): Promise<void> | undefined {
    return this.claiming;
  }

  start(): void {
    const { pollInterval } = this.store;
    if (pollInterval !== undefined) this.safetyPoll = setInterval(this.requestDrain, pollInterval).unref();
    this.requestDrain();
  }

  /**
   * No more wake-ups (the worker stops); a claim in flight still lands, and arms no timer (`wakeIn` asks the host),
   * so nothing keeps the process alive once the app closed.
   */
  pause(): void {
    this.clearWakeTimer();
    clearInterval(this.safetyPoll);
    this.safetyPoll = undefined;
  }

  close(): void {
    this.pause();
    this.yielder.close();
  }

  /** Work may be claimable now. */
  readonly requestDrain = (): void => {
    this.mayHaveWork = true;
    if (this.drainQueued || !this.host.active()) return;
    this.drainQueued = true;
    // Microtasks keep bursts fast; now and then yield so timers and I/O are not starved. (A promise,
    // not queueMicrotask: fake timers replace the latter.)
    if (++this.drains % DRAINS_PER_YIELD !== 0) void RESOLVED.then(this.drain);
    else this.yielder.run(this.drain);
  };

  /** Work becomes claimable in `ms`: one timer, for the earliest wake-up known. None once the worker stops. */
  wakeIn(ms: number): void {
    if (!this.host.active()) return;
    // Node fires a longer timer at once (and warns): wake at its limit instead, the claim then arms the rest.
    const delay = Math.min(ms, MAX_TIMER_MS);
    const at = Date.now() + delay;
    if (at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(this.onWakeTimer, delay);
  }

  /** The store is back after an outage: the backoff ends and the worker claims at once. */
  storeReconnected(): void {
    this.reconnects++;
    this.failures = 0;
    this.claimAgainAt = 0;
    this.requestDrain();
  }

  /** After a claim or an attempt: claim again if work may wait, else let the idle waiters know. */
  continue(): void {
    if (this.mayHaveWork) this.requestDrain();
    else this.host.settled();
  }

  private readonly drain = (): void => {
    this.drainQueued = false;
    if (this.claiming !== undefined || !this.host.active()) return;
    const free = this.host.free();
    // No slot and nothing running whose end would claim again: nothing this worker could claim (no handler).
    if (free <= 0 && this.host.running() === 0) this.mayHaveWork = false;
    if (!this.mayHaveWork || free <= 0) return this.host.settled();
    if (this.failures > 0 && this.stillBackingOff()) return;
    this.mayHaveWork = false;
    const local = localPathOf(this.store);
    if (local !== undefined) this.claimNow(local, free);
    else this.claiming = this.claim(free);
  };

  /** A store in this process answers at once: no promise, and no stale reply to hand back. */
  private claimNow(local: LocalTaskStore, limit: number): void {
    let batch: ClaimBatch;
    try {
      batch = local.claim(this.request(limit));
    } catch (error) {
      this.backOff(error);
      return this.continue();
    }
    this.failures = 0;
    for (const task of batch.tasks) this.host.run(task);
    this.claimed(batch, limit);
    this.continue();
  }

  private async claim(limit: number): Promise<void> {
    const reconnects = this.reconnects;
    try {
      const askedAt = performance.now();
      const batch = await this.store.claim(this.request(limit));
      this.failures = 0;
      const replyMs = performance.now() - askedAt;
      if (batch.tasks.length > 0 && claimIsStale(replyMs, this.store.leaseTime)) {
        // Handed back before the next claim, which may then take them (here or elsewhere).
        await handBackStaleClaim(this.store, this.logger, batch.tasks, replyMs);
        this.mayHaveWork = true;
        this.claiming = undefined;
      } else {
        this.claiming = undefined;
        for (const task of batch.tasks) this.host.run(task);
      }
      this.claimed(batch, limit);
    } catch (error) {
      this.claiming = undefined;
      if (this.reconnects === reconnects) this.backOff(error);
      else this.retryNow(error);
    }
    this.continue();
  }

  private request(limit: number): ClaimRequest {
    const handlers = this.host.handlers();
    return handlers === undefined ? { workerId: this.workerId, limit } : { workerId: this.workerId, limit, handlers };
  }

  /** A full batch may have left work behind; a later due task arms the timer. */
  private claimed(batch: ClaimBatch, limit: number): void {
    if (batch.tasks.length >= limit) this.mayHaveWork = true;
    if (batch.nextDueInMs !== undefined) this.wakeIn(batch.nextDueInMs);
  }

  private backOff(error: unknown): void {
    const delay = Math.min(MAX_CLAIM_BACKOFF_MS, 100 * 2 ** this.failures++);
    this.logger.warn(`Could not claim tasks (${describeError(error)}); trying again in ${delay} ms`);
    // Work may still wait (so not idle), but nothing claims before the backoff's timer fires.
    this.mayHaveWork = true;
    this.claimAgainAt = Date.now() + delay;
    this.wakeIn(delay);
  }

  /** A claim sent before the store reconnected failed: claim again now rather than back off from the outage. */
  private retryNow(error: unknown): void {
    const why = describeError(error);
    this.logger.warn(`Could not claim tasks (${why}); the store reconnected meanwhile: trying again now`);
    this.mayHaveWork = true;
  }

  /**
   * Backing off: a timer claims once the backoff ends. Armed again here, as the timer that was to end it may
   * fire a little before Date.now() says it ended (Node's timers run on the event loop's cached clock).
   */
  private stillBackingOff(): boolean {
    const waitMs = this.claimAgainAt - Date.now();
    if (waitMs <= 0) return false;
    this.wakeIn(waitMs);
    return true;
  }

  private readonly onWakeTimer = (): void => {
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
    this.requestDrain();
  };

  private clearWakeTimer(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
  }
}
