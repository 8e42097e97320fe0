import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import type { ScheduleOptions } from '../../interfaces/schedule-options.interface.js';
import type { NewTask } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { FlowMessages } from '../../task-queue-flows.messages.js';
import { checkOptional, type OptionPredicate } from '../../validation/option.validator.js';
import { checkText, MAX_KEY_LENGTH } from '../../validation/text.validator.js';

const isIdList: OptionPredicate = (v) => Array.isArray(v) && v.every((id) => typeof id === 'string' && id.length > 0);
const isPolicy: OptionPredicate = (v) => v === 'cancel' || v === 'run';

/** `dependsOn` and `onDependencyFailure` checked, as the task's fields (dependsOn without repeats, in order). */
export function dependencyFields(
  o: ScheduleOptions,
  taskId: string,
  store: ITaskStore,
): Pick<NewTask, 'dependsOn' | 'onDependencyFailure'> {
  checkOptional('dependsOn', o.dependsOn, isIdList, 'an array of task ids (non-empty strings)');
  checkOptional('onDependencyFailure', o.onDependencyFailure, isPolicy, "'cancel' or 'run'");
  const ids = [...new Set(o.dependsOn ?? [])];
  for (const id of ids) checkText('dependsOn', id, MAX_KEY_LENGTH);
  if (ids.includes(taskId)) throw new InvalidTaskOptionsError(FlowMessages.selfDependency(taskId));
  if (ids.length === 0) return {};
  if (!store.supportsDependencies) throw new InvalidTaskOptionsError(FlowMessages.dependenciesUnsupported());
  return { dependsOn: ids, onDependencyFailure: o.onDependencyFailure ?? 'cancel' };
}

/** Throws `InvalidTaskOptionsError` if the batch's tasks depend on one another in a cycle. */
export function assertNoCycle(tasks: readonly NewTask[]): void {
  const byId = new Map<string, NewTask>();
  for (const task of tasks) if (task.dependsOn !== undefined && !byId.has(task.id)) byId.set(task.id, task);
  if (byId.size === 0) return;
  // Iterative depth-first search: 0 unvisited, 1 on the current path, 2 done.
  const state = new Map<string, 1 | 2>();
  for (const root of byId.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 1);
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)?.dependsOn ?? [];
      if (top.next >= deps.length) {
        state.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const dep = deps[top.next++]!;
      const seen = state.get(dep);
      if (seen === 1) throw new InvalidTaskOptionsError(FlowMessages.cycle([...path.slice(path.indexOf(dep)), dep]));
      if (seen === 2 || !byId.has(dep)) continue;
      state.set(dep, 1);
      path.push(dep);
      stack.push({ id: dep, next: 0 });
    }
  }
}
