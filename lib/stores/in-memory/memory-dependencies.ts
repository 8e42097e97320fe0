import { UnknownTaskError } from '../../errors/unknown-task.error.js';
import type { NewTask, TaskError } from '../../interfaces/task-record.interface.js';
import { isFinished, TaskStatus } from '../../interfaces/task-status.js';
import { DEPENDENCY_FAILED_ERROR, FlowMessages } from '../../task-queue-flows.messages.js';
import type { MemoryTask } from './memory-task.js';

/** What the dependency book changes through the task book, the one owner of task states and placement. */
export interface DependencyHost {
  readonly tasks: ReadonlyMap<string, MemoryTask>;
  /** A waiting task whose dependencies all finished becomes pending and is placed. */
  release(task: MemoryTask, now: number): void;
  /** A waiting task is cancelled, its lastError naming the dependency (its own dependents follow). */
  cancelWaiting(task: MemoryTask, error: TaskError, now: number): void;
  /** A finished task no unfinished task depends on any more goes to retention. */
  retain(task: MemoryTask, now: number): void;
  /** A watched task finished. */
  signalFinished(taskId: string): void;
}

/**
 * The in-memory store's flows: dependencies of added tasks wired (or refused), dependents settled when a task
 * finishes (transitively, without recursion), holds that keep finished dependencies from retention, and the
 * tasks `watch()`ed for waitFor.
 */
export class MemoryDependencies {
  private readonly watched = new Set<string>();
  /**
   * Per task id: how many unfinished tasks depend on it, so retention keeps the task of that id. By id, not by
   * task: a finished dependency replaced under its id (scheduled again) is what its dependents read now.
   */
  private readonly holders = new Map<string, number>();

  constructor(private readonly host: DependencyHost) {}

  /** Before an add changes anything: every dependency is known, or in the same add. */
  check(tasks: readonly NewTask[]): void {
    let batch: Set<string> | undefined;
    for (const task of tasks) {
      if (task.dependsOn === undefined) continue;
      batch ??= new Set(tasks.map((t) => t.id));
      for (const id of task.dependsOn)
        if (!this.host.tasks.has(id) && !batch.has(id)) throw new UnknownTaskError(FlowMessages.unknownDependency(id));
    }
  }

  /** Wires newly added waiting tasks to their dependencies, then releases or cancels those that need not wait. */
  wire(added: readonly MemoryTask[], now: number): void {
    const failedBy = new Map<MemoryTask, MemoryTask>();
    for (const task of added) {
      const flow = task.flow!;
      for (const id of flow.dependsOn!) {
        const dep = this.host.tasks.get(id)!;
        flow.deps.push(dep);
        this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
        if (!isFinished(dep.status)) {
          dep.flowState().dependents.push(task);
          flow.unfinished++;
        } else if (dep.status !== TaskStatus.Succeeded && !flow.runOnFailure && !failedBy.has(task)) {
          failedBy.set(task, dep);
        }
      }
    }
    for (const task of added) {
      if (task.status !== TaskStatus.Waiting) continue;
      const dep = failedBy.get(task);
      if (dep !== undefined) this.cancel(task, dep, now);
      else if (task.flow!.unfinished === 0) this.host.release(task, now);
    }
  }

  /** A task others may wait for or depend on reached a finished status: O(its dependents + its dependencies). */
  finished(task: MemoryTask, now: number): void {
    const queue = [task];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (this.watched.size > 0 && this.watched.delete(next.id)) this.host.signalFinished(next.id);
      const flow = next.flow;
      if (flow === undefined) continue;
      for (const dep of flow.deps) this.unhold(dep.id, now);
      const dependents = flow.dependents;
      flow.dependents = [];
      const failed = next.status !== TaskStatus.Succeeded;
      for (const dependent of dependents) {
        if (dependent.status !== TaskStatus.Waiting) continue;
        if (failed && !dependent.flow!.runOnFailure) {
          this.host.cancelWaiting(dependent, dependencyError(dependent, next), now);
          queue.push(dependent);
        } else if (--dependent.flow!.unfinished === 0) this.host.release(dependent, now);
      }
    }
  }

  /** Some task is watched: every finish must be looked at. */
  get watching(): boolean {
    return this.watched.size > 0;
  }

  /** Whether unfinished tasks depend on this one's id (retention must keep it). */
  held(task: MemoryTask): boolean {
    return this.holders.size > 0 && this.holders.has(task.id);
  }

  /** Returns whether the task is unfinished; if so, its finish will be signalled. */
  watch(task: MemoryTask): boolean {
    if (isFinished(task.status)) return false;
    this.watched.add(task.id);
    return true;
  }

  private cancel(task: MemoryTask, dep: MemoryTask, now: number): void {
    this.host.cancelWaiting(task, dependencyError(task, dep), now);
    this.finished(task, now);
  }

  private unhold(id: string, now: number): void {
    const left = this.holders.get(id)! - 1;
    if (left > 0) {
      this.holders.set(id, left);
      return;
    }
    this.holders.delete(id);
    const dep = this.host.tasks.get(id);
    if (dep !== undefined && isFinished(dep.status) && dep.lease === undefined) this.host.retain(dep, now);
  }
}

function dependencyError(task: MemoryTask, dep: MemoryTask): TaskError {
  return { name: DEPENDENCY_FAILED_ERROR, message: FlowMessages.dependencyFailed(task.id, dep.id, dep.status) };
}
