import type { TaskBacklog, TaskBacklogSource } from '../../interfaces/task-backlog.interface.js';
import type { PurgeQuery } from '../../interfaces/purge-query.interface.js';
import type { NewTask, TaskError, TaskRecord } from '../../interfaces/task-record.interface.js';
import type {
  AddOptions,
  ClaimBatch,
  ClaimRequest,
  ITaskStore,
  Lease,
  ListQuery,
  StoreInitContext,
  StoreSignal,
  TaskCounts,
} from '../../interfaces/task-store.interface.js';
import { checkOptional, type OptionPredicate } from '../../validation/option.validator.js';
import { InMemoryMessages } from './in-memory.messages.js';
import { MemoryTaskBook } from './memory-task.book.js';
import { MemoryTask } from './memory-task.js';
import { queryTasks } from './memory-task.query.js';
import type { RecurringRecord, RecurringStep } from '../../interfaces/recurring-store.interface.js';
import type { PauseState, WorkerRecord } from '../../interfaces/deployment-store.interface.js';
import { MemoryRecurringBook } from './memory-recurring.book.js';
import {
  freshRecord,
  keptError,
  keptProgress,
  keptResult,
  keptTask,
  type InMemorySerialization,
} from './memory-serialization.js';
import { TaskStatus } from '../../interfaces/task-status.js';
import { LOCAL_TASK_STORE, type LocalTaskStore } from '../../interfaces/local-task-store.interface.js';

export interface InMemoryTaskStoreOptions {
  /** Lease length in ms, for workers that share this store object and may stall. Default 30,000. */
  leaseTime?: number;
  /**
   * How args and metadata are kept. 'structured' (default): a structured clone taken at `schedule()`. 'json':
   * as Redis and PostgreSQL keep them, a JSON round trip after their checks (`schedule()` refuses what they
   * refuse; results and errors are kept as they keep them); for tests of apps that deploy on a durable store.
   */
  serialization?: InMemorySerialization;
}

const SERIALIZATION_EXPECTED = "'structured' or 'json'";
const isMode: OptionPredicate = (v) => v === 'structured' || v === 'json';

const TRUE = Promise.resolve(true);
const FALSE = Promise.resolve(false);
const NO_ADD_OPTIONS: AddOptions = Object.freeze({});

/**
 * The default store: tasks live in this process's memory and end with it. Schedule and claim are O(log n)
 * at worst and O(1) for due tasks; one timer (the worker's) serves every delayed task. This file is the
 * contract; the tasks and their life are in memory-task.book.ts.
 */
export class InMemoryTaskStore implements ITaskStore, TaskBacklogSource {
  readonly leaseTime: number;
  readonly serialization: InMemorySerialization;
  readonly supportsDependencies = true;
  readonly supportsDeployments = true;
  private readonly book: MemoryTaskBook;
  private readonly recurring: MemoryRecurringBook;
  /**
   * The engine's synchronous path (lib/interfaces/local-task-store.interface.ts): the same work as add, claim and
   * complete below, without their promises; a claim hands out the tasks themselves unless 'json' asks for copies.
   */
  readonly [LOCAL_TASK_STORE]: LocalTaskStore = {
    add: (tasks, options) => this.book.add(this.kept(tasks, true), options ?? NO_ADD_OPTIONS),
    claim: (request) => this.claimNow(request, this.serialization !== 'json'),
    complete: (lease, result, claimed) =>
      this.completeNow(lease, result, claimed instanceof MemoryTask ? claimed : undefined),
    fail: (lease, error, retryInMs) => this.failNow(lease, error, retryInMs),
    postpone: (lease, delayMs) => this.book.postpone(lease, delayMs),
    retry: (taskId) => this.book.retry(taskId),
    intact: (store) => hasOwnMethods(store),
  };

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.leaseTime = options.leaseTime ?? 30_000;
    this.serialization =
      checkOptional('serialization', options.serialization, isMode, SERIALIZATION_EXPECTED) ?? 'structured';
    this.book = new MemoryTaskBook(this.leaseTime);
    this.recurring = new MemoryRecurringBook(
      this.book,
      (task) => keptTask(task, this.serialization),
      (value) => (this.serialization === 'json' ? JSON.parse(JSON.stringify(value)) : value),
    );
  }

  describe(): string {
    return 'the in-memory store (this process only)';
  }

  async init(context: StoreInitContext): Promise<void> {
    this.book.retention.options = context.retention;
    this.book.logger = context.logger;
  }

  /** Keeps the tasks (nothing to release), but says how many pending ones end with the process. */
  async close(): Promise<void> {
    const { pending } = this.book.counters;
    if (pending > 0) this.book.logger?.warn(InMemoryMessages.droppingPending(pending));
  }

  // The hot path returns settled promises instead of running async functions: no frame per call, and
  // complete/fail share two promises. The work itself is synchronous, hence atomic.
  add(tasks: NewTask[], options: AddOptions = NO_ADD_OPTIONS): Promise<boolean[]> {
    try {
      return Promise.resolve(this.book.add(this.kept(tasks), options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  claim(request: ClaimRequest): Promise<ClaimBatch> {
    return Promise.resolve(this.claimNow(request, false));
  }

  complete(lease: Lease, result?: unknown): Promise<boolean> {
    return this.completeNow(lease, result) ? TRUE : FALSE;
  }

  fail(lease: Lease, error: TaskError, retryInMs: number | null): Promise<boolean> {
    return this.failNow(lease, error, retryInMs) ? TRUE : FALSE;
  }

  async renew(leases: Lease[]): Promise<string[]> {
    const until = Date.now() + this.leaseTime;
    const lost: string[] = [];
    for (const lease of leases) {
      const task = this.book.leased(lease);
      if (task === undefined) lost.push(lease.taskId);
      else task.leaseUntil = until;
    }
    return lost;
  }

  async cancel(taskId: string): Promise<TaskRecord | undefined> {
    return this.read(this.book.cancel(taskId));
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.read(this.book.tasks.get(taskId)?.snapshot());
  }

  async list(query: ListQuery = {}): Promise<TaskRecord[]> {
    this.book.retention.trim(Date.now());
    const records = queryTasks(this.book.tasks.values(), query);
    if (this.serialization === 'json') records.forEach(freshRecord);
    return records;
  }

  async counts(): Promise<TaskCounts> {
    this.book.retention.trim(Date.now());
    return { ...this.book.counters };
  }

  /** O(priorities in use): the delayed heap's size and the heads of the ready buckets. */
  async backlog(): Promise<TaskBacklog> {
    const { placement } = this.book;
    placement.promoteDue(Date.now());
    return { delayed: placement.delayedCount, oldestDueAt: placement.oldestDueAt() };
  }

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    return this.book.signals.subscribe(listener);
  }

  // --- Operators ---
  async retry(taskId: string): Promise<boolean> {
    return this.book.retry(taskId);
  }

  async remove(taskId: string): Promise<boolean> {
    return this.book.remove(taskId);
  }

  async purge(query: PurgeQuery): Promise<number> {
    return this.book.purge(query);
  }

  async countsByHandler(): Promise<Record<string, Partial<TaskCounts>>> {
    this.book.retention.trim(Date.now());
    const counts: Record<string, Partial<TaskCounts>> = {};
    for (const task of this.book.tasks.values()) {
      const of = (counts[task.handler] ??= {});
      of[task.status] = (of[task.status] ?? 0) + 1;
    }
    return counts;
  }
  // --- end of operators ---
  // --- Recurring schedules (memory-recurring.book.ts) ---

  async putRecurring(record: RecurringRecord): Promise<RecurringRecord> {
    return this.recurring.put(record);
  }

  async getRecurring(key: string): Promise<RecurringRecord | undefined> {
    return this.recurring.get(key);
  }

  async listRecurring(): Promise<RecurringRecord[]> {
    return this.recurring.list();
  }

  async removeRecurring(key: string): Promise<RecurringRecord | undefined> {
    return this.recurring.remove(key);
  }

  async advanceRecurring(step: RecurringStep): Promise<boolean> {
    return this.recurring.advance(step);
  }

  // --- end of recurring schedules ---

  // --- flows (issue 12) ---
  async watch(taskId: string): Promise<TaskRecord | undefined> {
    const task = this.book.tasks.get(taskId);
    if (task === undefined) return undefined;
    this.book.dependencies.watch(task);
    return this.read(task.snapshot());
  }

  async setProgress(lease: Lease, progress: unknown): Promise<boolean> {
    const task = this.book.leased(lease);
    if (task === undefined || task.status !== TaskStatus.Running) return false;
    task.progress = keptProgress(progress, this.serialization);
    return true;
  }

  async getMany(taskIds: string[]): Promise<(TaskRecord | undefined)[]> {
    return taskIds.map((id) => this.read(this.book.tasks.get(id)?.snapshot()));
  }

  // --- deployments (issue 10) ---
  postpone(lease: Lease, delayMs: number): Promise<boolean> {
    return this.book.postpone(lease, delayMs) ? TRUE : FALSE;
  }

  async setPaused(handler: string | null, paused: boolean): Promise<void> {
    this.book.setPaused(handler, paused);
  }

  async getPaused(): Promise<PauseState> {
    return this.book.deployments.pauseState();
  }

  async heartbeatWorker(worker: Omit<WorkerRecord, 'lastSeenAt'>, ttlMs: number): Promise<void> {
    this.book.deployments.heartbeat(worker, ttlMs, Date.now());
  }

  async removeWorker(workerId: string): Promise<void> {
    this.book.deployments.remove(workerId);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return this.book.deployments.list(Date.now());
  }

  async dueHandlers(): Promise<string[]> {
    return this.book.dueHandlers();
  }

  /** `live`: the tasks themselves, for the engine's synchronous path; else copies, as the contract hands out. */
  private claimNow(request: ClaimRequest, live: boolean): ClaimBatch {
    const batch = this.book.claim(request, live);
    if (this.serialization === 'json') batch.tasks.forEach(freshRecord);
    return batch;
  }

  private completeNow(lease: Lease, result: unknown, claimed?: MemoryTask): boolean {
    const kept = this.serialization === 'json' ? keptResult(lease.taskId, result, this.book.logger) : result;
    return this.book.complete(lease, kept, claimed);
  }

  private failNow(lease: Lease, error: TaskError, retryInMs: number | null): boolean {
    return this.book.fail(lease, this.serialization === 'json' ? keptError(error) : error, retryInMs);
  }

  private read(record: TaskRecord | undefined): TaskRecord | undefined {
    return record !== undefined && this.serialization === 'json' ? freshRecord(record) : record;
  }

  /**
   * The tasks with their data copied, in schedule()'s own call (a started engine adds before it awaits), so
   * the caller's later changes do not reach them. A new array only if a task changed. `inPlace`: the engine's
   * own tasks (the synchronous path) take their copies themselves.
   */
  private kept(tasks: NewTask[], inPlace = false): NewTask[] {
    if (inPlace) {
      for (const task of tasks) keptTask(task, this.serialization, true);
      return tasks;
    }
    let kept = tasks;
    for (let i = 0; i < tasks.length; i++) {
      const task = keptTask(tasks[i]!, this.serialization);
      if (task === tasks[i]) continue;
      if (kept === tasks) kept = tasks.slice();
      kept[i] = task;
    }
    return kept;
  }
}

const { add, claim, complete, fail, postpone, retry } = InMemoryTaskStore.prototype;

/** The methods the synchronous path stands in for are this class's own (once per call on the hot path: no loop). */
function hasOwnMethods(store: ITaskStore): boolean {
  return (
    store.add === add &&
    store.claim === claim &&
    store.complete === complete &&
    store.fail === fail &&
    store.postpone === postpone &&
    store.retry === retry
  );
}
