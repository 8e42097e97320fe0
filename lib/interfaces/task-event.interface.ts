import type { TaskContext } from './task-handler.interface.js';
import type { NewTask, TaskError, TaskRecord } from './task-record.interface.js';

export type TaskEventType = 'scheduled' | 'started' | 'succeeded' | 'failed' | 'cancelled' | 'progress';

/** One thing that happened to a task, as `events$` emits it and observers receive it. */
export interface TaskEvent {
  type: TaskEventType;
  taskId: string;
  handler: string;
  name?: string;
  partitionKey?: string;
  /** The attempt this event is about (0 for `scheduled`). */
  attempt: number;
  /** When it happened (epoch ms). */
  timestamp: number;
  /** started: how late the attempt began after it was due, ms. */
  lateness?: number;
  /** succeeded / failed: how long the attempt ran, ms. */
  duration?: number;
  /** failed: what the attempt threw. */
  error?: TaskError;
  /** failed: whether another attempt is scheduled, and when. */
  willRetry?: boolean;
  retryAt?: Date;
  /** scheduled: when the task is due. */
  runAt?: Date;
  /** progress: the value the handler reported. */
  progress?: unknown;
}

/** The task an event is about, as observers get it beside the event (args and metadata are never in the event). */
export type TaskEventSubject = Pick<TaskRecord, 'id' | 'handler' | 'name' | 'partitionKey' | 'args' | 'metadata'>;

/**
 * Hooks into every task of this process: metrics, traces, logs and users' own code share this one path.
 * Each method is optional, and the engine does nothing for a hook no observer has.
 */
export interface TaskObserver {
  /** Every task event. `task` carries the args: log them only if the user asked to. */
  onTaskEvent?(event: TaskEvent, task: TaskEventSubject): void;
  /**
   * Called by `schedule()` in the caller's async context, before the store adds the task. The entries
   * returned are stored in the task's metadata (the caller's own entries win); they must be JSON-safe.
   */
  stampMetadata?(task: Readonly<NewTask>): Record<string, unknown> | undefined;
  /** Runs each attempt: call `run()` (in a span, a context...) and return what it returns or rejects with. */
  wrapExecution?(context: TaskContext, run: () => Promise<unknown>): Promise<unknown>;
}
