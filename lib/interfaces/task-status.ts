/** Where a task is in its life. `pending` covers both "due now" and "delayed until runAt". */
export const TaskStatus = {
  Pending: 'pending',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;

export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const FINISHED_STATUSES: readonly TaskStatus[] = [TaskStatus.Succeeded, TaskStatus.Failed, TaskStatus.Cancelled];

export function isFinished(status: TaskStatus): boolean {
  return status === TaskStatus.Succeeded || status === TaskStatus.Failed || status === TaskStatus.Cancelled;
}
