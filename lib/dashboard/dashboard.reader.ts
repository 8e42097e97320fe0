import { TaskStatus } from '../interfaces/task-status.js';
import type { TaskInfo } from '../interfaces/task-info.interface.js';
import type { TaskCounts } from '../interfaces/task-store.interface.js';
import { has, unsupported, type DashboardQueue } from './dashboard-queue.js';
import type { ResolvedDashboardOptions } from './dashboard-options.resolver.js';
import { TaskActivityRecorder, type ActivityMinute } from './view/task-activity.recorder.js';
import { toPageView, toRowView, type TaskPageView, type TaskRowView } from './view/task-view.mapper.js';

/** `GET {path}/api/overview`. Sections a queue lacks are null (the page says "none" or hides them). */
export interface OverviewView {
  counts: TaskCounts;
  /** Per handler, per status; null: the store cannot count by handler. */
  byHandler: Record<string, Partial<TaskCounts>> | null;
  /** null: the store has no backlog(). */
  backlog: { due: number; delayed: number; oldestDueAgeMs: number } | null;
  /** null: the queue cannot pause. */
  paused: { queue: boolean; handlers: string[] } | null;
  workers: unknown[] | null;
  recurring: unknown[] | null;
  /** Succeeded and failed (for good) per minute, last hour, from this process's events. */
  activity: ActivityMinute[];
  readOnly: boolean;
  features: { pause: boolean; workers: boolean; recurring: boolean };
}

export interface TaskListQuery {
  status?: string;
  handler?: string;
  /** A whole id, or its beginning. */
  id?: string;
  limit: number;
  offset: number;
}

/** `GET {path}/api/tasks`. */
export interface TaskListView {
  tasks: TaskRowView[];
  limit: number;
  offset: number;
  /** Whether a next page has tasks. */
  more: boolean;
}

/** How many of the newest tasks an id-prefix search looks through (the stores index whole ids only). */
export const ID_PREFIX_SCAN = 5_000;
/** countsByHandler() may read every task: pages refreshing together share one call, and its answer this long. */
const BY_HANDLER_TTL_MS = 1_000;

/** What the dashboard's pages show, read from the queue on each request. */
export class DashboardReader {
  private byHandler: { at: number; counts: Promise<Record<string, Partial<TaskCounts>> | undefined> } | undefined;

  constructor(
    private readonly queue: DashboardQueue,
    private readonly options: ResolvedDashboardOptions,
    readonly activity: TaskActivityRecorder,
  ) {}

  async overview(): Promise<OverviewView> {
    const { scheduler, store } = this.queue;
    const [counts, backlog, byHandler, workers, recurring] = await Promise.all([
      scheduler.counts(),
      store.backlog?.(),
      this.countsByHandler(),
      has(scheduler, 'listWorkers') ? unsupported(scheduler.listWorkers()) : undefined,
      has(scheduler, 'listRecurring') ? scheduler.listRecurring() : undefined,
    ]);
    const paused = await this.paused(byHandler, workers);
    return {
      counts,
      byHandler: byHandler ?? null,
      backlog:
        backlog === undefined
          ? null
          : {
              due: Math.max(0, counts.pending - backlog.delayed),
              delayed: backlog.delayed,
              oldestDueAgeMs: backlog.oldestDueAt === undefined ? 0 : Math.max(0, Date.now() - backlog.oldestDueAt),
            },
      paused,
      workers: workers ?? null,
      recurring: recurring ?? null,
      activity: this.activity.lastHour(),
      readOnly: this.options.readOnly,
      features: {
        pause: has(scheduler, 'pause') && has(scheduler, 'resume') && paused !== null,
        workers: workers !== undefined,
        recurring: recurring !== undefined,
      },
    };
  }

  async tasks(query: TaskListQuery): Promise<TaskListView> {
    const { scheduler } = this.queue;
    const filter = { status: query.status as TaskStatus | undefined, handler: query.handler };
    let found: TaskInfo[];
    if (query.id !== undefined) {
      const exact = await scheduler.getTask(query.id);
      if (exact !== undefined && matches(exact, filter)) found = [exact];
      else {
        const newest = await scheduler.listTasks({ ...filter, limit: ID_PREFIX_SCAN });
        found = newest.filter((task) => task.id.startsWith(query.id!));
      }
      found = found.slice(query.offset, query.offset + query.limit + 1);
    } else found = await scheduler.listTasks({ ...filter, limit: query.limit + 1, offset: query.offset });
    return {
      tasks: found.slice(0, query.limit).map(toRowView),
      limit: query.limit,
      offset: query.offset,
      more: found.length > query.limit,
    };
  }

  async task(id: string): Promise<TaskPageView | undefined> {
    const task = await this.queue.scheduler.getTask(id);
    return task === undefined ? undefined : toPageView(task, this.options);
  }

  private countsByHandler(): Promise<Record<string, Partial<TaskCounts>> | undefined> {
    const { store } = this.queue;
    // Counted from when the call returns: a slow count is not called again at once.
    if (this.byHandler === undefined || Date.now() - this.byHandler.at > BY_HANDLER_TTL_MS) {
      const cached = { at: Infinity, counts: store.countsByHandler?.() ?? Promise.resolve(undefined) };
      this.byHandler = cached;
      cached.counts.then(
        () => (cached.at = Date.now()),
        () => this.byHandler === cached && (this.byHandler = undefined),
      );
    }
    return this.byHandler.counts;
  }

  /** The queue's pause flag and the paused handlers among those the store or the workers name. */
  private async paused(
    byHandler: Record<string, unknown> | undefined,
    workers: unknown[] | undefined,
  ): Promise<OverviewView['paused']> {
    const { scheduler } = this.queue;
    if (!has(scheduler, 'isPaused')) return null;
    const names = new Set(Object.keys(byHandler ?? {}));
    for (const worker of workers ?? []) {
      const handlers = (worker as { handlers?: unknown }).handlers;
      if (Array.isArray(handlers)) for (const name of handlers) if (typeof name === 'string') names.add(name);
    }
    const queue = await unsupported(scheduler.isPaused());
    if (queue === undefined) return null;
    const sorted = [...names].sort();
    const flags = await Promise.all(sorted.map((name) => scheduler.isPaused(name)));
    return { queue, handlers: sorted.filter((_, i) => flags[i]) };
  }
}

function matches(task: TaskInfo, filter: { status?: string; handler?: string }): boolean {
  return (
    (filter.status === undefined || task.status === filter.status) &&
    (filter.handler === undefined || task.handler === filter.handler)
  );
}
