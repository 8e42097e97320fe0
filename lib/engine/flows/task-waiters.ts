import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import { TaskQueueError } from '../../errors/task-queue.error.js';
import { TaskWaitTimeoutError } from '../../errors/task-wait-timeout.error.js';
import { UnknownTaskError } from '../../errors/unknown-task.error.js';
import type { TaskInfo } from '../../interfaces/task-info.interface.js';
import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import { isFinished } from '../../interfaces/task-status.js';
import type { ITaskStore, StoreSignal } from '../../interfaces/task-store.interface.js';
import { FlowMessages } from '../../task-queue-flows.messages.js';
import { isPositiveFinite } from '../../validation/option.validator.js';
import { canBeTaskId } from '../../validation/text.validator.js';
import { Messages } from '../../task-queue.messages.js';
import { toTaskInfo } from '../task-info.mapper.js';

/** Options of `waitFor()`. */
export interface WaitForOptions {
  /** Reject with `TaskWaitTimeoutError` after this many ms. Default: wait as long as it takes. */
  timeout?: number;
  /** Aborting it rejects the wait with the signal's reason (the task is not affected). */
  signal?: AbortSignal;
}

interface Waiter {
  resolve(info: TaskInfo): void;
  reject(error: unknown): void;
}

/**
 * `watch` calls on their way at once at most; the others queue here. Thousands of waits begun together must not
 * take every connection of the store's pool: the worker's claims and lease renewals share it (and PostgreSQL's
 * pool fails a call that waited longer than its connection timeout).
 */
export const MAX_WATCHES_IN_FLIGHT = 8;

/**
 * `waitFor()`: every wait of this process shares one store subscription (the store's own pub/sub or LISTEN
 * connection), taken while someone waits. The store marks the task watched (`watch`) and signals `finished` when
 * it ends; one `get` per finished task then answers all its waiters. After a reconnect, and every `pollInterval` of a
 * durable store (a lost announcement, no LISTEN connection), the awaited tasks are read once, together.
 */
export class TaskWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private unsubscribe: (() => void) | undefined;
  /** A durable store's safety net (a lost announcement, no LISTEN): every awaited task read once per pollInterval. */
  private poll: NodeJS.Timeout | undefined;
  private watchesInFlight = 0;
  /** Watches waiting for a slot, oldest first from `queuedFrom` (a queue without O(n) shifts); false: none made. */
  private queuedWatches: ((() => boolean) | undefined)[] = [];
  private queuedFrom = 0;

  constructor(
    private readonly store: ITaskStore,
    private readonly read: <T>(operation: string, run: () => Promise<T>) => Promise<T>,
  ) {}

  async waitFor(taskId: string, options: WaitForOptions = {}): Promise<TaskInfo> {
    const { timeout, signal } = options;
    if (timeout !== undefined && !isPositiveFinite(timeout))
      throw new InvalidTaskOptionsError(Messages.invalidOption('timeout', 'a positive number of ms', timeout));
    if (this.store.watch === undefined) throw new TaskQueueError(FlowMessages.waitForUnsupported());
    if (!canBeTaskId(taskId)) throw new UnknownTaskError(FlowMessages.unknownTask(taskId));
    signal?.throwIfAborted();
    return new Promise<TaskInfo>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.remove(taskId, waiter);
      };
      let settled = false;
      const waiter: Waiter = {
        resolve: (info) => {
          settled = true;
          done();
          resolve(info);
        },
        reject: (error) => {
          settled = true;
          done();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeout !== undefined)
        timer = setTimeout(
          () => waiter.reject(new TaskWaitTimeoutError(FlowMessages.waitTimedOut(taskId, timeout))),
          timeout,
        );
      // Listening before the store marks the task: a finish between the two is not missed.
      this.add(taskId, waiter);
      this.queuedWatches.push(() => {
        // Ended while queued (timeout, abort, an announcement): nothing to watch.
        if (settled) return false;
        this.read('waitFor', () => this.store.watch!(taskId))
          .then(
            (record) => {
              if (record === undefined) waiter.reject(new UnknownTaskError(FlowMessages.unknownTask(taskId)));
              else if (isFinished(record.status)) waiter.resolve(toTaskInfo(record));
            },
            (error: unknown) => waiter.reject(error),
          )
          .finally(this.watchEnded);
        return true;
      });
      this.startWatches();
    });
  }

  /** The queue closes: every wait still on its way rejects (its store is about to go), none is left hanging. */
  close(): void {
    for (const [taskId, waiters] of [...this.waiting]) {
      const error = new TaskQueueError(FlowMessages.closedWhileWaiting(taskId));
      for (const waiter of [...waiters]) waiter.reject(error);
    }
  }

  /** Starts queued watches while fewer than MAX_WATCHES_IN_FLIGHT are on their way. */
  private startWatches(): void {
    const queue = this.queuedWatches;
    while (this.watchesInFlight < MAX_WATCHES_IN_FLIGHT && this.queuedFrom < queue.length) {
      const start = queue[this.queuedFrom]!;
      queue[this.queuedFrom++] = undefined;
      if (start()) this.watchesInFlight++;
    }
    if (this.queuedFrom === queue.length) {
      this.queuedWatches = [];
      this.queuedFrom = 0;
    }
  }

  private readonly watchEnded = (): void => {
    this.watchesInFlight--;
    this.startWatches();
  };

  private add(taskId: string, waiter: Waiter): void {
    let set = this.waiting.get(taskId);
    if (set === undefined) this.waiting.set(taskId, (set = new Set()));
    set.add(waiter);
    this.unsubscribe ??= this.store.subscribe(this.onSignal);
    const every = this.store.pollInterval;
    if (this.poll === undefined && every !== undefined) {
      this.poll = setInterval(() => this.checkAll(), every);
      this.poll.unref();
    }
  }

  private remove(taskId: string, waiter: Waiter): void {
    const set = this.waiting.get(taskId);
    if (set === undefined || !set.delete(waiter)) return;
    if (set.size > 0) return;
    this.waiting.delete(taskId);
    if (this.waiting.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.poll);
    this.poll = undefined;
  }

  private readonly onSignal = (signal: StoreSignal): void => {
    if (signal.type === 'finished') {
      if (this.waiting.has(signal.taskId)) this.check(signal.taskId);
    } else if (signal.type === 'wake' && signal.reconnected) {
      this.checkAll();
    }
  };

  /** Reads every awaited task: in one call where the store can. */
  private checkAll(): void {
    const ids = [...this.waiting.keys()];
    if (ids.length === 0) return;
    if (this.store.getMany === undefined) return ids.forEach((id) => this.check(id));
    this.store.getMany(ids).then(
      (records) => records.forEach((record, i) => this.settle(ids[i]!, record)),
      () => undefined,
    );
  }

  /** Reads the task once for all its waiters; resolves them if it is finished (a failed read waits on). */
  private check(taskId: string): void {
    this.store.get(taskId).then(
      (record) => this.settle(taskId, record),
      () => undefined,
    );
  }

  /** Answers the task's waiters if it is finished (or gone). */
  private settle(taskId: string, record: TaskRecord | undefined): void {
    if (record !== undefined && !isFinished(record.status)) return;
    for (const waiter of [...(this.waiting.get(taskId) ?? [])]) {
      if (record === undefined) waiter.reject(new UnknownTaskError(FlowMessages.unknownTask(taskId)));
      else waiter.resolve(toTaskInfo(record));
    }
  }
}
