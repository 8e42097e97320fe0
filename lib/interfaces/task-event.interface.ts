import type { TaskError } from './task-record.interface.js';

export type TaskEventType = 'scheduled' | 'started' | 'succeeded' | 'failed' | 'cancelled';

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
}

/** Receives every task event of this process. The engine builds no event while no observer listens. */
export interface TaskObserver {
  onTaskEvent(event: TaskEvent): void;
}
