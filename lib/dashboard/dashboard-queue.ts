import type { PurgeQuery } from '../interfaces/purge-query.interface.js';
import type { TaskEvent } from '../interfaces/task-event.interface.js';
import type { TaskInfo } from '../interfaces/task-info.interface.js';
import type { ListQuery, TaskCounts } from '../interfaces/task-store.interface.js';
import type { TaskBacklog } from '../interfaces/task-backlog.interface.js';
import type { Observable } from 'rxjs';

/**
 * What the dashboard uses of the app's TaskScheduler. The optional methods are features a queue may have
 * (deployments: workers and pause; recurring schedules): each section and button shows only where its method exists.
 */
export interface DashboardScheduler {
  readonly events$: Observable<TaskEvent>;
  counts(): Promise<TaskCounts>;
  getTask(taskId: string): Promise<TaskInfo | undefined>;
  listTasks(query?: ListQuery): Promise<TaskInfo[]>;
  cancel(taskId: string): Promise<boolean>;
  retry(taskId: string): Promise<boolean>;
  remove(taskId: string): Promise<boolean>;
  purge(query: PurgeQuery): Promise<number>;
  listWorkers?(): Promise<unknown[]>;
  listRecurring?(): Promise<unknown[]>;
  pause?(handler?: string): Promise<unknown>;
  resume?(handler?: string): Promise<unknown>;
  isPaused?(handler?: string): Promise<boolean>;
}

/** What the dashboard reads of the store directly, where the store has it (both are optional in ITaskStore). */
export interface DashboardStore {
  backlog?(): Promise<TaskBacklog>;
  countsByHandler?(): Promise<Record<string, Partial<TaskCounts>>>;
}

/** The queue the dashboard shows: the app's scheduler and store. */
export interface DashboardQueue {
  scheduler: DashboardScheduler;
  store: DashboardStore;
}

/** Whether the scheduler has `method` (a feature of a later version, or of another build). */
export function has<K extends keyof DashboardScheduler>(
  scheduler: DashboardScheduler,
  method: K,
): scheduler is DashboardScheduler & Required<Pick<DashboardScheduler, K>> {
  return typeof scheduler[method] === 'function';
}

/**
 * A feature call the queue has but its store does not (a custom store without `supportsDeployments`): the
 * dashboard shows the section as missing rather than failing. Known by name, as another build's class may throw it.
 */
export function unsupported<T>(call: Promise<T>): Promise<T | undefined> {
  return call.catch((error: unknown) => {
    if ((error as Error | undefined)?.name === 'StoreOperationUnsupportedError') return undefined;
    throw error;
  });
}
