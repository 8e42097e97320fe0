import type { NewTask } from './task-record.interface.js';

/**
 * A recurring schedule as a store keeps it. The store reads only the key, `fingerprint` and the times and ids;
 * `definition` is data it keeps as it keeps args (JSON on the durable stores). Times are epoch ms; occurrence
 * times name occurrences (task ids), so they are never moved to the store's clock.
 */
export interface RecurringRecord {
  key: string;
  handler: string;
  /** The schedule's timing, misfire, overlap and task options, and the occurrences' args (recurring-definition.ts). */
  definition: unknown;
  /** The timing part of the definition: an upsert with the same one keeps the times below. */
  fingerprint: string;
  /** The next occurrence not yet added as a task; null: none (the schedule ended). */
  nextRunAt: number | null;
  /** The occurrence added last (it may lie ahead), and the one before it. */
  lastRunAt?: number;
  lastTaskId?: string;
  previousRunAt?: number;
  previousTaskId?: string;
}

/**
 * One step of a schedule, applied atomically: only if the schedule still has `expectedNextRunAt` and
 * `expectedLastTaskId` (a compare-and-set, so processes that step at once make one step) and its last occurrence
 * is still as the engine read it. Then it cancels that occurrence (`cancelLast`), adds `task` (an ordinary task:
 * its id is `key@occurrence`, so a second add is a no-op) and moves the schedule on.
 */
export interface RecurringStep {
  key: string;
  expectedNextRunAt: number | null;
  expectedLastTaskId: string | undefined;
  /** 'unstarted': the last occurrence is pending and never started; 'started': anything else (gone too). */
  expectedLast: 'unstarted' | 'started';
  /** Cancel the last occurrence (only with 'unstarted'): one missed under misfire 'skip', or of a changed timing. */
  cancelLast: boolean;
  /** Undefined: no occurrence added (the schedule ends, or with a `nextRunAt` only that moves). */
  task: NewTask | undefined;
  /** The occurrence `task` stands for (its time may differ from its runAt). */
  runAt: number | undefined;
  nextRunAt: number | null;
}

/**
 * What a store implements to keep recurring schedules (optional: a store without these methods makes
 * `scheduleRecurring()` and `@Recurring()` fail with `InvalidTaskOptionsError`). Each is atomic in the store.
 */
export interface RecurringStoreMethods {
  /**
   * Creates or updates the schedule `record.key`. An existing one with the same `fingerprint` keeps its times and
   * ids (an upsert at every start-up changes nothing); another fingerprint takes the record's `nextRunAt` and keeps
   * the ids. Returns the schedule as stored.
   */
  putRecurring?(record: RecurringRecord): Promise<RecurringRecord>;
  getRecurring?(key: string): Promise<RecurringRecord | undefined>;
  /** Every schedule, by key. */
  listRecurring?(): Promise<RecurringRecord[]>;
  /** Deletes the schedule and cancels its last occurrence if that never started; returns what it deleted. */
  removeRecurring?(key: string): Promise<RecurringRecord | undefined>;
  /** Applies the step if its expectations hold; false (nothing changed) if not. */
  advanceRecurring?(step: RecurringStep): Promise<boolean>;
}
