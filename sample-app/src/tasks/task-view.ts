import type { TaskInfo } from 'nest-task-queue';

/** What GET /tasks returns for a task: the snapshot without the error's stack trace. */
export function toTaskView(task: TaskInfo) {
  const { lastError, ...rest } = task;
  return { ...rest, lastError: lastError && { name: lastError.name, message: lastError.message } };
}
