import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ListQuery } from '../../interfaces/task-store.interface.js';
import type { MemoryTask } from './memory-task.js';

/** `list()`: newest first (createdAt, then insertion order), filtered, paged. */
export function queryTasks(tasks: Iterable<MemoryTask>, query: ListQuery): TaskRecord[] {
  const { status } = query;
  const statuses = status === undefined ? undefined : new Set(Array.isArray(status) ? status : [status]);
  const limit = query.limit ?? 100;
  let skip = query.offset ?? 0;
  const all = [...tasks].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  const out: TaskRecord[] = [];
  for (const task of all) {
    if (out.length >= limit) break;
    if (statuses !== undefined && !statuses.has(task.status)) continue;
    if (query.handler !== undefined && task.handler !== query.handler) continue;
    if (skip > 0) skip--;
    else out.push(task.snapshot());
  }
  return out;
}
