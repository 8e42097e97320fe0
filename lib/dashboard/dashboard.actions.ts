import { TaskStatus } from '../interfaces/task-status.js';
import { has, unsupported, type DashboardQueue } from './dashboard-queue.js';

/** Retry-all stops after this many tasks (a list the page shows is far shorter; scripts can call it again). */
export const BULK_RETRY_MAX = 10_000;

/** A filter of failed (or cancelled) tasks, for the bulk actions. */
export interface BulkFilter {
  status: typeof TaskStatus.Failed | typeof TaskStatus.Cancelled;
  handler?: string;
  finishedBefore?: Date;
}

/** The dashboard's actions, each one call of the scheduler (atomic in the store). */
export class DashboardActions {
  constructor(private readonly queue: DashboardQueue) {}

  cancel(id: string): Promise<boolean> {
    return this.queue.scheduler.cancel(id);
  }

  retry(id: string): Promise<boolean> {
    return this.queue.scheduler.retry(id);
  }

  remove(id: string): Promise<boolean> {
    return this.queue.scheduler.remove(id);
  }

  /**
   * Retries the tasks matching the filter: their ids are read first (newest first, up to BULK_RETRY_MAX), so a
   * task that fails again meanwhile is not retried twice by one call. Returns how many were re-queued.
   */
  async retryAll(filter: BulkFilter): Promise<number> {
    const { scheduler } = this.queue;
    const ids: string[] = [];
    for (let offset = 0; ids.length < BULK_RETRY_MAX; offset += 500) {
      const page = await scheduler.listTasks({ status: filter.status, handler: filter.handler, limit: 500, offset });
      for (const task of page)
        if (filter.finishedBefore === undefined || (task.finishedAt ?? Infinity) < filter.finishedBefore)
          ids.push(task.id);
      if (page.length < 500) break;
    }
    let retried = 0;
    for (const id of ids.slice(0, BULK_RETRY_MAX)) if (await scheduler.retry(id)) retried++;
    return retried;
  }

  purge(filter: BulkFilter): Promise<number> {
    return this.queue.scheduler.purge(filter);
  }

  /** Pauses a handler, or the whole queue (no handler); false where the queue cannot pause. */
  async pause(handler?: string): Promise<boolean> {
    const { scheduler } = this.queue;
    if (!has(scheduler, 'pause')) return false;
    return (await unsupported(scheduler.pause(handler).then(() => true))) ?? false;
  }

  async resume(handler?: string): Promise<boolean> {
    const { scheduler } = this.queue;
    if (!has(scheduler, 'resume')) return false;
    return (await unsupported(scheduler.resume(handler).then(() => true))) ?? false;
  }
}
