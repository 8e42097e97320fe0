import type { RecurringRecord, RecurringStep } from '../../interfaces/recurring-store.interface.js';
import type { NewTask } from '../../interfaces/task-record.interface.js';
import { TaskStatus } from '../../interfaces/task-status.js';
import type { MemoryTaskBook } from './memory-task.book.js';

/**
 * The in-memory store's recurring schedules. Each call is synchronous, so a step (compare-and-set, cancel, add,
 * move on) is atomic; occurrences are added through the task book like any task.
 */
export class MemoryRecurringBook {
  private readonly schedules = new Map<string, RecurringRecord>();

  constructor(
    private readonly book: MemoryTaskBook,
    /** The task or record with its data copied as the store keeps data (memory-serialization.ts). */
    private readonly keptTask: (task: NewTask) => NewTask,
    private readonly keptData: (value: unknown) => unknown,
  ) {}

  put(record: RecurringRecord): RecurringRecord {
    const existing = this.schedules.get(record.key);
    const definition = this.keptData(record.definition);
    const stored: RecurringRecord =
      existing === undefined
        ? { ...record, definition }
        : existing.fingerprint === record.fingerprint
          ? { ...existing, handler: record.handler, definition }
          : {
              ...existing,
              handler: record.handler,
              definition,
              fingerprint: record.fingerprint,
              nextRunAt: record.nextRunAt,
            };
    this.schedules.set(record.key, stored);
    return this.read(stored);
  }

  get(key: string): RecurringRecord | undefined {
    const record = this.schedules.get(key);
    return record === undefined ? undefined : this.read(record);
  }

  list(): RecurringRecord[] {
    return [...this.schedules.keys()].sort().map((key) => this.read(this.schedules.get(key)!));
  }

  remove(key: string): RecurringRecord | undefined {
    const record = this.schedules.get(key);
    if (record === undefined) return undefined;
    this.schedules.delete(key);
    if (this.unstarted(record.lastTaskId)) this.book.cancel(record.lastTaskId!);
    return this.read(record);
  }

  advance(step: RecurringStep): boolean {
    const record = this.schedules.get(step.key);
    if (record === undefined || record.nextRunAt !== step.expectedNextRunAt) return false;
    if (record.lastTaskId !== step.expectedLastTaskId) return false;
    const unstarted = this.unstarted(record.lastTaskId);
    if (unstarted !== (step.expectedLast === 'unstarted')) return false;
    if (step.cancelLast && unstarted) this.book.cancel(record.lastTaskId!);
    if (step.task !== undefined) {
      this.book.add([this.keptTask(step.task)], {});
      record.previousRunAt = record.lastRunAt;
      record.previousTaskId = record.lastTaskId;
      record.lastRunAt = step.runAt;
      record.lastTaskId = step.task.id;
    }
    record.nextRunAt = step.nextRunAt;
    return true;
  }

  /** The task is pending and has never started. */
  private unstarted(taskId: string | undefined): boolean {
    const task = taskId === undefined ? undefined : this.book.tasks.get(taskId);
    return task !== undefined && task.status === TaskStatus.Pending && task.attempts === 0;
  }

  /** A copy for the caller, whose changes then do not reach the schedule. */
  private read(record: RecurringRecord): RecurringRecord {
    const copy = { ...record, definition: this.keptData(record.definition) };
    for (const field of ['lastRunAt', 'lastTaskId', 'previousRunAt', 'previousTaskId'] as const)
      if (copy[field] === undefined) delete copy[field];
    return copy;
  }
}
