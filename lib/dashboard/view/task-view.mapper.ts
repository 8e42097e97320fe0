import type { TaskInfo } from '../../interfaces/task-info.interface.js';
import type { ResolvedDashboardOptions } from '../dashboard-options.resolver.js';

/** A task as the dashboard's API lists it (dates as ISO strings once JSON). */
export interface TaskRowView {
  id: string;
  handler: string;
  name?: string;
  status: string;
  attempts: number;
  priority: number;
  partitionKey?: string;
  runAt: Date;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** The last error's message (the task's page has the stack). */
  error?: string;
}

/** A task as its page shows it: everything, args only if the options say so. */
export interface TaskPageView extends Omit<TaskRowView, 'error'> {
  maxRetries: number;
  lastError?: { name: string; message: string; stack?: string };
  result?: unknown;
  metadata?: Record<string, unknown>;
  /** Present only with `showArgs` (what it returns, for a function). */
  args?: unknown;
  argsShown: boolean;
  /** Flows (when the queue has them): progress, dependencies, dependents. */
  progress?: unknown;
  dependsOn?: unknown;
  dependents?: unknown;
  /** Fields of the task this dashboard does not know by name (features added later), shown as they are. */
  other?: Record<string, unknown>;
}

const KNOWN = new Set([
  'id',
  'handler',
  'name',
  'args',
  'status',
  'attempts',
  'maxRetries',
  'priority',
  'partitionKey',
  'runAt',
  'createdAt',
  'startedAt',
  'finishedAt',
  'lastError',
  'result',
  'metadata',
  'progress',
  'dependsOn',
  'dependents',
]);

export function toRowView(task: TaskInfo): TaskRowView {
  return {
    id: task.id,
    handler: task.handler,
    name: task.name,
    status: task.status,
    attempts: task.attempts,
    priority: task.priority,
    partitionKey: task.partitionKey,
    runAt: task.runAt,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    error: task.lastError?.message,
  };
}

export function toPageView(task: TaskInfo, options: Pick<ResolvedDashboardOptions, 'showArgs'>): TaskPageView {
  const { error: _error, ...row } = toRowView(task);
  const extended = task as TaskInfo & Record<string, unknown>;
  const view: TaskPageView = {
    ...row,
    maxRetries: task.maxRetries,
    lastError: task.lastError,
    result: task.result,
    metadata: task.metadata,
    argsShown: options.showArgs !== undefined && options.showArgs !== false,
    progress: extended.progress,
    dependsOn: extended.dependsOn,
    dependents: extended.dependents,
  };
  if (typeof options.showArgs === 'function') view.args = options.showArgs(task.args, task);
  else if (options.showArgs === true) view.args = task.args;
  const other = Object.entries(extended).filter(([key, value]) => !KNOWN.has(key) && value !== undefined);
  if (other.length > 0) view.other = Object.fromEntries(other);
  return view;
}
