/**
 * Where a task is in its life. `waiting`: some of its `dependsOn` are not finished yet. `pending` covers both
 * "due now" and "delayed until runAt".
 */
export const TaskStatus = {
  Waiting: 'waiting',
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
