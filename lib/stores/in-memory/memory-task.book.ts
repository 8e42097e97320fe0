import { QueueFullError } from '../../errors/queue-full.error.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { PurgeQuery } from '../../interfaces/purge-query.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import { isFinished, TaskStatus } from '../../interfaces/task-status.js';
import type { AddOptions, ClaimBatch, ClaimRequest, Lease, TaskCounts } from '../../interfaces/task-store.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { MemoryLeases } from './memory-leases.js';
import { MemoryPartitions } from './memory-partitions.js';
import { MemoryPlacement } from './memory-placement.js';
import { MemoryRetention } from './memory-retention.js';
import { MemorySignals } from './memory-signals.js';
import { MemoryTask, Place } from './memory-task.js';
import { MemoryDependencies } from './memory-dependencies.js';
import { MemoryClaimer } from './memory-claim.js';
import { MemoryDeployments } from './memory-deployments.js';

const MAX_FORGOTTEN = 1_024;

/**
 * The in-memory store's tasks and their life: added, claimed (leased), reported, retried, cancelled, recovered
 * when a lease expires. Synchronous, hence atomic; the store wraps it in the contract's promises. Where pending
 * tasks wait, partitions, leases, retention and signals are each a file of this folder.
 */
export class MemoryTaskBook {
  readonly tasks = new Map<string, MemoryTask>();
  readonly placement = new MemoryPlacement();
  // Retention drops only tasks it still holds (Place.Retained): whatever forgets or replaces a task releases it first.
  readonly retention = new MemoryRetention((task) => {
    // Unfinished tasks depend on it: it stays, and enters retention again once they finished.
    if (this.dependencies.held(task)) task.place = Place.None;
    else this.forget(task);
  });
  readonly signals = new MemorySignals();
  readonly counters: TaskCounts = { waiting: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  /** Set by the store's init(). */
  logger: TaskQueueLogger | undefined;
  readonly deployments = new MemoryDeployments(this.placement);
  private readonly claimer = new MemoryClaimer(this.placement);
  /**
   * The claim being answered: where `startClaimed` puts its tasks (one function for every claim, no closure), and
   * whether as the tasks themselves (the engine's synchronous path) or as snapshots.
   */
  private claiming: { tasks: TaskRecord[]; now: number; live: boolean } = { tasks: [], now: 0, live: false };
  private readonly partitions = new MemoryPartitions(this.placement);
  readonly dependencies = new MemoryDependencies({
    tasks: this.tasks,
    release: (task, now) => this.release(task, now),
    cancelWaiting: (task, error, now) => this.cancelWaiting(task, error, now),
    retain: (task, now) => this.retain(task, now),
    signalFinished: (taskId) => this.signals.finished(taskId),
  });
  private readonly leases: MemoryLeases;
  private seq = 0;
  /** Tasks forgotten since the last claim, whose extras that claim recycles. */
  private readonly forgotten: MemoryTask[] = [];

  constructor(leaseTime: number) {
    this.leases = new MemoryLeases(leaseTime);
  }

  add(tasks: NewTask[], options: AddOptions): boolean[] {
    const added = new Array<boolean>(tasks.length);
    // A later duplicate in the same batch loses to the first.
    const seen = tasks.length > 1 ? new Set<string>() : undefined;
    let adding = 0;
    let flows: MemoryTask[] | undefined;
    // The finished tasks the added ones replace, by index: one lookup per id (most ids are new: none).
    let replacing: (MemoryTask | undefined)[] | undefined;
    for (let i = 0; i < tasks.length; i++) {
      const id = tasks[i]!.id;
      const existing = this.tasks.get(id);
      // A task cancelled while running is not replaced before its worker reports or its lease expires.
      const replaceable = existing === undefined || (isFinished(existing.status) && existing.lease === undefined);
      added[i] = replaceable && !seen?.has(id);
      seen?.add(id);
      if (!added[i]) continue;
      adding++;
      if (existing !== undefined) (replacing ??= [])[i] = existing;
    }
    if (options.maxPending !== undefined && this.counters.pending + adding > options.maxPending) {
      throw new QueueFullError(Messages.queueFull(options.maxPending));
    }
    this.dependencies.check(tasks);
    const now = Date.now();
    let earliest = Infinity;
    for (let i = 0; i < tasks.length; i++) {
      if (!added[i]) continue;
      const replaced = replacing?.[i];
      if (replaced !== undefined) {
        this.retention.release(replaced);
        this.forget(replaced);
      }
      const task = new MemoryTask(tasks[i]!, ++this.seq);
      this.tasks.set(task.id, task);
      this.counters[task.status]++;
      if (task.status === TaskStatus.Waiting) {
        (flows ??= []).push(task);
        continue;
      }
      this.partitions.enqueue(task, now);
      if (task.place !== Place.PartitionQueue) earliest = Math.min(earliest, task.runAt);
    }
    if (flows !== undefined) this.dependencies.wire(flows, now);
    // From now, not from the add's start: the worker arms its timer on this signal, and a large add takes a while.
    this.signals.wake(earliest - Date.now());
    return added;
  }

  claim(request: ClaimRequest, live = false): ClaimBatch {
    if (this.forgotten.length > 0) this.recycleForgotten();
    const now = Date.now();
    this.recoverExpiredLeases(now);
    this.placement.promoteDue(now);
    const claimed: TaskRecord[] = [];
    // Paused: nothing to wake for but the resume, which signals.
    if (this.deployments.queuePaused) return { tasks: claimed };
    this.claiming.tasks = claimed;
    this.claiming.now = now;
    this.claiming.live = live;
    const opensAt = this.claimer.claim(request, now, this.startClaimed);
    const due = this.placement.nextDueInMs(now);
    if (opensAt === undefined) return { tasks: claimed, nextDueInMs: due };
    return { tasks: claimed, nextDueInMs: Math.min(due ?? Infinity, Math.max(0, opensAt - now)) };
  }

  /** `claimed`: the task as this book handed it out, if the caller has it (no lookup by id). */
  complete(lease: Lease, result: unknown, claimed?: MemoryTask): boolean {
    const task = this.reportable(lease, claimed);
    if (task === undefined) return false;
    task.result = result;
    this.finish(task, TaskStatus.Succeeded, Date.now());
    return true;
  }

  fail(lease: Lease, error: TaskError, retryInMs: number | null): boolean {
    const task = this.reportable(lease);
    if (task === undefined) return false;
    const now = Date.now();
    task.lastError = error;
    if (retryInMs === null) {
      this.finish(task, TaskStatus.Failed, now);
      return true;
    }
    this.pendingAgain(task, now, retryInMs);
    return true;
  }

  /** The handler asked to slow down: pending again in `delayMs`, its handler (or key) held until then. */
  postpone(lease: Lease, delayMs: number): boolean {
    const task = this.reportable(lease);
    if (task === undefined) return false;
    const now = Date.now();
    task.retryBase = (task.retryBase ?? 0) + 1;
    this.placement.lanesOf(task.handler).hold(task.rateLimitKey, now + delayMs);
    this.pendingAgain(task, now, delayMs);
    return true;
  }

  setPaused(handler: string | null, paused: boolean): void {
    if (this.deployments.setPaused(handler, paused)) this.signals.wake(0);
  }

  /** Handlers with due pending tasks. O(handlers). */
  dueHandlers(): string[] {
    this.placement.promoteDue(Date.now());
    const names: string[] = [];
    for (const lanes of this.placement.handlers.values()) if (lanes.size > 0) names.push(lanes.name);
    return names;
  }

  cancel(taskId: string): TaskRecord | undefined {
    const task = this.tasks.get(taskId);
    if (task === undefined) return undefined;
    const now = Date.now();
    if (task.status === TaskStatus.Pending) {
      this.partitions.remove(task);
      this.move(task, TaskStatus.Cancelled);
      task.finishedAt = now;
      this.leavePartition(task, now);
      this.retain(task, now);
      this.dependencies.finished(task, now);
      return task.snapshot();
    }
    if (task.status === TaskStatus.Running) {
      // Its partition stays held until the worker reports back or the lease expires.
      this.move(task, TaskStatus.Cancelled);
      task.finishedAt = now;
      this.signals.cancel(taskId);
      this.dependencies.finished(task, now);
      return task.snapshot();
    }
    if (task.status === TaskStatus.Waiting) {
      // It holds no partition and no place: nothing else is released.
      this.move(task, TaskStatus.Cancelled);
      task.finishedAt = now;
      this.retain(task, now);
      this.dependencies.finished(task, now);
      return task.snapshot();
    }
    return undefined;
  }

  // --- Operators: retry, remove, purge ---

  retry(taskId: string): boolean {
    const task = this.tasks.get(taskId);
    if (task === undefined || task.lease !== undefined) return false;
    if (task.status !== TaskStatus.Failed && task.status !== TaskStatus.Cancelled) return false;
    const now = Date.now();
    const retried = task.retried(now);
    this.retention.release(task);
    this.forget(task);
    this.tasks.set(taskId, retried);
    this.counters.pending++;
    // Due now, so behind the partition's due tasks (by runAt, then insertion order), as a task scheduled now.
    this.partitions.enqueue(retried, now);
    if (retried.place !== Place.PartitionQueue) this.signals.wake(0);
    return true;
  }

  /**
   * A waiting or pending task is cancelled first (its partition moves on, its dependents follow their policy, its
   * dependencies are no longer held by it), then forgotten; a finished one unfinished tasks depend on stays.
   */
  remove(taskId: string): boolean {
    const task = this.tasks.get(taskId);
    if (task === undefined || task.status === TaskStatus.Running || task.lease !== undefined) return false;
    if (task.status === TaskStatus.Pending || task.status === TaskStatus.Waiting) {
      this.cancel(taskId);
      // The cancel's retention may have dropped it already (a small maxCount).
      if (this.tasks.get(taskId) !== task) return true;
    } else if (this.dependencies.held(task)) return false;
    this.retention.release(task);
    this.forget(task);
    return true;
  }

  /** Synchronous, hence atomic; an in-memory store holds nothing another caller waits on while it runs. */
  purge(query: PurgeQuery): number {
    const statuses = new Set([query.status].flat());
    const before = query.finishedBefore?.getTime() ?? Infinity;
    let removed = 0;
    for (const task of this.tasks.values()) {
      if (!statuses.has(task.status) || task.lease !== undefined) continue;
      if (query.handler !== undefined && task.handler !== query.handler) continue;
      if (!(task.finishedAt! < before) || this.dependencies.held(task)) continue;
      this.retention.release(task);
      this.forget(task);
      removed++;
    }
    return removed;
  }

  // --- end of operators ---

  /** The task if this lease is current: running, or cancelled while running and not yet reported. */
  leased(lease: Lease, claimed?: MemoryTask): MemoryTask | undefined {
    // A task that holds a lease is never forgotten or replaced: if `claimed` holds this one, it is the current task.
    const task = claimed ?? this.tasks.get(lease.taskId);
    return this.leases.holds(task, lease) ? task : undefined;
  }

  private readonly startClaimed = (task: MemoryTask): void => {
    this.start(task, this.claiming.now);
    this.claiming.tasks.push(this.claiming.live ? task : task.snapshot());
  };

  /** A running task is pending again in `inMs`, keeping its partition (a retry, a postpone). */
  private pendingAgain(task: MemoryTask, now: number, inMs: number): void {
    this.leases.release(task);
    this.move(task, TaskStatus.Pending);
    task.runAt = now + inMs;
    // The task keeps its partition (holder stays) and is placed as its head again.
    this.partitions.headAgain(task);
    this.placement.place(task, now);
    this.signals.wake(inMs);
  }

  private start(task: MemoryTask, now: number): void {
    task.place = Place.None;
    this.move(task, TaskStatus.Running);
    task.attempts++;
    task.startedAt = now;
    this.leases.grant(task, now);
    this.partitions.hold(task);
  }

  /**
   * For complete/fail: the task if the report may be recorded; a cancelled task is released instead. A stale
   * lease is logged here, the one place that knows which of the two refused the report.
   */
  private reportable(lease: Lease, claimed?: MemoryTask): MemoryTask | undefined {
    const task = this.leased(lease, claimed);
    if (task === undefined) {
      this.logger?.warn(Messages.leaseLost(lease.taskId));
      return undefined;
    }
    if (task.status === TaskStatus.Running) return task;
    this.settleCancelled(task, Date.now());
    return undefined;
  }

  private finish(task: MemoryTask, status: TaskStatus, now: number): void {
    this.leases.release(task);
    this.move(task, status);
    task.finishedAt = now;
    this.leavePartition(task, now);
    this.retain(task, now);
    if (task.flow !== undefined || this.dependencies.watching) this.dependencies.finished(task, now);
  }

  /** A task cancelled while running has reported back (or its lease expired): free what it held. */
  private settleCancelled(task: MemoryTask, now: number): void {
    this.leases.release(task);
    this.leavePartition(task, now);
    this.retain(task, now);
  }

  /** Into retention, unless unfinished tasks depend on it (then once they finished). */
  private retain(task: MemoryTask, now: number): void {
    if (task.place === Place.Retained || this.dependencies.held(task)) return;
    this.retention.retain(task, now);
  }

  /** A waiting task whose dependencies finished: pending, due at the later of its runAt and now, and placed. */
  private release(task: MemoryTask, now: number): void {
    this.move(task, TaskStatus.Pending);
    if (task.runAt < now) task.runAt = now;
    this.partitions.enqueue(task, now);
    if (task.place !== Place.PartitionQueue) this.signals.wake(task.runAt - now);
  }

  /** A waiting task whose dependency failed or was cancelled (onDependencyFailure 'cancel'). */
  private cancelWaiting(task: MemoryTask, error: TaskError, now: number): void {
    this.move(task, TaskStatus.Cancelled);
    task.finishedAt = now;
    task.lastError = error;
    this.retain(task, now);
  }

  /** The task no longer holds or heads its partition: the next one in order is placed, and woken for. */
  private leavePartition(task: MemoryTask, now: number): void {
    const next = this.partitions.leave(task, now);
    if (next !== undefined) this.signals.wake(next.runAt - now);
  }

  private move(task: MemoryTask, status: TaskStatus): void {
    if (task.status === TaskStatus.Running) this.leftRunning(task);
    this.counters[task.status]--;
    this.counters[status]++;
    task.status = status;
  }

  /** Its handler's slot is free: a claim that found the handler at its `globalConcurrency` is woken. */
  private leftRunning(task: MemoryTask): void {
    const lanes = task.lanes!;
    lanes.running--;
    if (!lanes.waitsForSlot) return;
    lanes.waitsForSlot = false;
    this.signals.wake(0);
  }

  /** A worker died (or stalled) holding these tasks: they become claimable again, keeping their partition. */
  private recoverExpiredLeases(now: number): void {
    let recovered = false;
    for (const task of this.leases.expired(now)) {
      if (task.status === TaskStatus.Cancelled) {
        this.settleCancelled(task, now);
        continue;
      }
      this.leases.release(task);
      this.move(task, TaskStatus.Pending);
      this.partitions.headAgain(task);
      this.placement.toReady(task);
      recovered = true;
    }
    if (recovered) this.signals.wake(0);
  }

  private forget(task: MemoryTask): void {
    this.tasks.delete(task.id);
    this.counters[task.status]--;
    if (this.forgotten.length < MAX_FORGOTTEN) this.forgotten.push(task);
  }

  /** At a claim, when what forgot them (a report, a cancel) and its caller are done reading them. */
  private recycleForgotten(): void {
    const forgotten = this.forgotten;
    for (let i = 0; i < forgotten.length; i++) forgotten[i]!.recycle();
    forgotten.length = 0;
  }
}
