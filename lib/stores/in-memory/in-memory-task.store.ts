import { BinaryHeap } from '../../collections/binary-heap.js';
import { Deque } from '../../collections/deque.js';
import { QueueFullError } from '../../errors/queue-full.error.js';
import type { TaskBacklog, TaskBacklogSource } from '../../interfaces/task-backlog.interface.js';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import { isFinished, TaskStatus } from '../../interfaces/task-status.js';
import type {
  AddOptions,
  ClaimBatch,
  ClaimRequest,
  ITaskStore,
  Lease,
  ListQuery,
  RetentionOptions,
  StoreInitContext,
  StoreSignal,
  TaskCounts,
} from '../../interfaces/task-store.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { DEFAULT_RETENTION } from '../../task-queue.defaults.js';
import { InMemoryMessages } from './in-memory.messages.js';
import { dueBefore, MemoryTask, Place } from './memory-task.js';
import { ReadyQueue } from './ready-queue.js';

export interface InMemoryTaskStoreOptions {
  /** Lease length in ms, for workers that share this store object and may stall. Default 30,000. */
  leaseTime?: number;
}

/** A partition's state: who holds it, who is placed to run next, who waits behind. */
interface Partition {
  holder: MemoryTask | undefined;
  head: MemoryTask | undefined;
  readonly queue: BinaryHeap<MemoryTask>;
}

const WAKE_NOW: StoreSignal = Object.freeze({ type: 'wake' });
const TRUE = Promise.resolve(true);
const FALSE = Promise.resolve(false);

/**
 * The default store: tasks live in this process's memory and end with it. Schedule and claim are O(log n)
 * at worst and O(1) for due tasks; one timer (the worker's) serves every delayed task.
 */
export class InMemoryTaskStore implements ITaskStore, TaskBacklogSource {
  readonly leaseTime: number;
  readonly serialization: ITaskStore['serialization'] = 'structured';

  private readonly tasks = new Map<string, MemoryTask>();
  private readonly delayed = new BinaryHeap<MemoryTask>(dueBefore);
  private readonly ready = new ReadyQueue();
  private readonly partitions = new Map<string, Partition>();
  private readonly running = new Set<MemoryTask>();
  private readonly finished = new Deque<MemoryTask>();
  private readonly counters: TaskCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  private listeners: ((signal: StoreSignal) => void)[] = [];
  private retention: Required<RetentionOptions> = DEFAULT_RETENTION;
  private logger: TaskQueueLogger | undefined;
  private seq = 0;
  private tokens = 0;
  private nextLeaseScan = 0;

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.leaseTime = options.leaseTime ?? 30_000;
  }

  async init(context: StoreInitContext): Promise<void> {
    this.retention = context.retention;
    this.logger = context.logger;
  }

  /** Keeps the tasks (nothing to release), but says how many pending ones end with the process. */
  async close(): Promise<void> {
    if (this.counters.pending > 0) this.logger?.warn(InMemoryMessages.droppingPending(this.counters.pending));
  }

  // The hot path returns settled promises instead of running async functions: no frame per call, and
  // complete/fail share two promises. The work itself is synchronous, hence atomic.
  add(tasks: NewTask[], options: AddOptions = {}): Promise<boolean[]> {
    try {
      return Promise.resolve(this.addNow(tasks, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  claim(request: ClaimRequest): Promise<ClaimBatch> {
    return Promise.resolve(this.claimNow(request));
  }

  complete(lease: Lease, result?: unknown): Promise<boolean> {
    return this.completeNow(lease, result) ? TRUE : FALSE;
  }

  fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean> {
    return this.failNow(lease, error, retryInMs) ? TRUE : FALSE;
  }

  private addNow(tasks: NewTask[], options: AddOptions): boolean[] {
    const added = new Array<boolean>(tasks.length);
    // A later duplicate in the same batch loses to the first.
    const seen = tasks.length > 1 ? new Set<string>() : undefined;
    let adding = 0;
    for (let i = 0; i < tasks.length; i++) {
      const id = tasks[i]!.id;
      const existing = this.tasks.get(id);
      added[i] = (existing === undefined || isFinished(existing.status)) && !seen?.has(id);
      seen?.add(id);
      if (added[i]) adding++;
    }
    if (options.maxPending !== undefined && this.counters.pending + adding > options.maxPending) {
      throw new QueueFullError(Messages.queueFull(options.maxPending));
    }
    const now = Date.now();
    let wakeInMs = Infinity;
    for (let i = 0; i < tasks.length; i++) {
      if (!added[i]) continue;
      const replaced = this.tasks.get(tasks[i]!.id);
      if (replaced !== undefined) this.forget(replaced);
      const task = new MemoryTask(tasks[i]!, ++this.seq);
      this.tasks.set(task.id, task);
      this.counters.pending++;
      this.enqueue(task, now);
      if (task.place !== Place.PartitionQueue) wakeInMs = Math.min(wakeInMs, task.runAt - now);
    }
    this.signalWake(wakeInMs);
    return added;
  }

  private claimNow(request: ClaimRequest): ClaimBatch {
    const now = Date.now();
    if (now >= this.nextLeaseScan) this.recoverExpiredLeases(now);
    this.promoteDue(now);
    const claimed: TaskRecord[] = [];
    while (claimed.length < request.limit) {
      const task = this.ready.shift();
      if (task === undefined) break;
      this.start(task, now);
      claimed.push(task.snapshot());
    }
    const next = this.delayed.peek();
    return { tasks: claimed, nextDueInMs: next === undefined ? undefined : Math.max(0, next.runAt - now) };
  }

  async renew(leases: Lease[]): Promise<string[]> {
    const until = Date.now() + this.leaseTime;
    const lost: string[] = [];
    for (const lease of leases) {
      const task = this.leased(lease);
      if (task === undefined) lost.push(lease.taskId);
      else task.leaseUntil = until;
    }
    return lost;
  }

  private completeNow(lease: Lease, result: unknown): boolean {
    const task = this.reportable(lease);
    if (task === undefined) return false;
    task.result = result;
    this.finish(task, TaskStatus.Succeeded, Date.now());
    return true;
  }

  private failNow(lease: Lease, error: TaskError, retryInMs: number | null): boolean {
    const task = this.reportable(lease);
    if (task === undefined) return false;
    const now = Date.now();
    task.lastError = error;
    if (retryInMs === null) {
      this.finish(task, TaskStatus.Failed, now);
      return true;
    }
    this.release(task);
    this.move(task, TaskStatus.Pending);
    task.runAt = now + retryInMs;
    // The task keeps its partition (holder stays) and is placed as its head again.
    if (task.partitionKey !== undefined) this.partitions.get(task.partitionKey)!.head = task;
    this.place(task, now);
    this.signalWake(retryInMs);
    return true;
  }

  async cancel(taskId: string): Promise<TaskRecord | undefined> {
    const task = this.tasks.get(taskId);
    if (task === undefined) return undefined;
    const now = Date.now();
    if (task.status === TaskStatus.Pending) {
      this.unplace(task);
      this.move(task, TaskStatus.Cancelled);
      task.finishedAt = now;
      this.leavePartition(task, now);
      this.retain(task, now);
      return task.snapshot();
    }
    if (task.status === TaskStatus.Running) {
      // Its partition stays held until the worker reports back or the lease expires.
      this.move(task, TaskStatus.Cancelled);
      task.finishedAt = now;
      this.emit({ type: 'cancel', taskId });
      return task.snapshot();
    }
    return undefined;
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.tasks.get(taskId)?.snapshot();
  }

  async list(query: ListQuery = {}): Promise<TaskRecord[]> {
    this.trim(Date.now());
    const statuses = query.status === undefined ? undefined : new Set(Array.isArray(query.status) ? query.status : [query.status]);
    const limit = query.limit ?? 100;
    let skip = query.offset ?? 0;
    const all = [...this.tasks.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
    const out: TaskRecord[] = [];
    for (const task of all) {
      if (out.length >= limit) break;
      if (statuses !== undefined && !statuses.has(task.status)) continue;
      if (query.handler !== undefined && task.handler !== query.handler) continue;
      if (skip > 0) skip--;
      else out.push(task.snapshot());
    }
    return out;
  }

  async counts(): Promise<TaskCounts> {
    this.trim(Date.now());
    return { ...this.counters };
  }

  /** O(priorities in use): the delayed heap's size and the heads of the ready buckets. */
  async backlog(): Promise<TaskBacklog> {
    this.promoteDue(Date.now());
    return { delayed: this.delayed.size, oldestDueAt: this.ready.oldestRunAt() };
  }

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Puts a new pending task in its place: its partition's queue, or the ready/delayed structures. */
  private enqueue(task: MemoryTask, now: number): void {
    if (task.partitionKey === undefined) return this.place(task, now);
    let partition = this.partitions.get(task.partitionKey);
    if (partition === undefined) {
      partition = { holder: undefined, head: undefined, queue: new BinaryHeap<MemoryTask>(dueBefore) };
      this.partitions.set(task.partitionKey, partition);
    }
    const head = partition.head;
    if (partition.holder !== undefined || (head !== undefined && !dueBefore(task, head))) {
      partition.queue.push(task);
      task.place = Place.PartitionQueue;
      return;
    }
    if (head !== undefined) {
      // The new task is due before the placed head: it takes the head's place.
      this.unplace(head);
      partition.queue.push(head);
      head.place = Place.PartitionQueue;
    }
    partition.head = task;
    this.place(task, now);
  }

  private place(task: MemoryTask, now: number): void {
    if (task.runAt <= now) this.toReady(task);
    else {
      this.delayed.push(task);
      task.place = Place.Delayed;
    }
  }

  /** Moves tasks that have become due from the delayed heap to the ready queue. */
  private promoteDue(now: number): void {
    for (let next = this.delayed.peek(); next !== undefined && next.runAt <= now; next = this.delayed.peek()) {
      this.delayed.pop();
      this.toReady(next);
    }
  }

  private toReady(task: MemoryTask): void {
    this.ready.push(task);
  }

  private unplace(task: MemoryTask): void {
    if (task.place === Place.Delayed) this.delayed.remove(task);
    else if (task.place === Place.PartitionQueue) this.partitions.get(task.partitionKey!)!.queue.remove(task);
    else if (task.place === Place.ReadyHeap) this.ready.remove(task);
    // A Ready (FIFO) entry is skipped lazily when shifted: its place no longer says Ready.
    task.place = Place.None;
  }

  private start(task: MemoryTask, now: number): void {
    task.place = Place.None;
    this.move(task, TaskStatus.Running);
    task.attempts++;
    task.startedAt = now;
    task.leaseToken = String(++this.tokens);
    task.leaseUntil = now + this.leaseTime;
    this.running.add(task);
    if (task.partitionKey !== undefined) {
      const partition = this.partitions.get(task.partitionKey)!;
      partition.holder = task;
      partition.head = undefined;
    }
  }

  /** The task if this lease is current: running, or cancelled while running and not yet reported. */
  private leased(lease: Lease): MemoryTask | undefined {
    const task = this.tasks.get(lease.taskId);
    if (task === undefined || task.leaseToken === undefined || task.leaseToken !== lease.token) return undefined;
    return task;
  }

  /**
   * For complete/fail: the task if the report may be recorded; a cancelled task is released instead. A stale
   * lease is logged here, the one place that knows which of the two refused the report.
   */
  private reportable(lease: Lease): MemoryTask | undefined {
    const task = this.leased(lease);
    if (task === undefined) {
      this.logger?.warn(Messages.leaseLost(lease.taskId));
      return undefined;
    }
    if (task.status === TaskStatus.Running) return task;
    this.settleCancelled(task, Date.now());
    return undefined;
  }

  private finish(task: MemoryTask, status: TaskStatus, now: number): void {
    this.release(task);
    this.move(task, status);
    task.finishedAt = now;
    this.leavePartition(task, now);
    this.retain(task, now);
  }

  /** A task cancelled while running has reported back (or its lease expired): free what it held. */
  private settleCancelled(task: MemoryTask, now: number): void {
    this.release(task);
    this.leavePartition(task, now);
    this.retain(task, now);
  }

  private release(task: MemoryTask): void {
    task.leaseToken = undefined;
    this.running.delete(task);
  }

  /** The task no longer holds or heads its partition: the next one in order is placed. */
  private leavePartition(task: MemoryTask, now: number): void {
    if (task.partitionKey === undefined) return;
    const partition = this.partitions.get(task.partitionKey)!;
    if (partition.holder === task) partition.holder = undefined;
    if (partition.head === task) partition.head = undefined;
    if (partition.holder !== undefined || partition.head !== undefined) return;
    const next = partition.queue.pop();
    if (next === undefined) {
      this.partitions.delete(task.partitionKey);
      return;
    }
    partition.head = next;
    this.place(next, now);
    this.signalWake(next.runAt - now);
  }

  private move(task: MemoryTask, status: TaskStatus): void {
    this.counters[task.status]--;
    this.counters[status]++;
    task.status = status;
  }

  /** A worker died (or stalled) holding these tasks: they become claimable again, keeping their partition. */
  private recoverExpiredLeases(now: number): void {
    this.nextLeaseScan = now + Math.min(1_000, this.leaseTime / 4);
    let recovered = false;
    for (const task of this.running) {
      if (task.leaseUntil! > now) continue;
      if (task.status === TaskStatus.Cancelled) {
        this.settleCancelled(task, now);
        continue;
      }
      this.release(task);
      this.move(task, TaskStatus.Pending);
      if (task.partitionKey !== undefined) this.partitions.get(task.partitionKey)!.head = task;
      this.toReady(task);
      recovered = true;
    }
    if (recovered) this.signalWake(0);
  }

  private retain(task: MemoryTask, now: number): void {
    this.finished.push(task);
    this.trim(now);
  }

  /** Applies retention: drops the oldest finished tasks beyond maxCount and those older than maxAge. */
  private trim(now: number): void {
    const { maxCount, maxAge } = this.retention;
    for (let oldest = this.finished.peek(); oldest !== undefined; oldest = this.finished.peek()) {
      if (this.finished.size <= maxCount && oldest.finishedAt! > now - maxAge) break;
      this.finished.shift();
      if (this.tasks.get(oldest.id) === oldest) this.forget(oldest);
    }
  }

  private forget(task: MemoryTask): void {
    this.tasks.delete(task.id);
    this.counters[task.status]--;
  }

  private signalWake(inMs: number): void {
    if (inMs === Infinity || this.listeners.length === 0) return;
    this.emit(inMs <= 0 ? WAKE_NOW : { type: 'wake', inMs });
  }

  private emit(signal: StoreSignal): void {
    for (const listener of this.listeners) listener(signal);
  }
}
