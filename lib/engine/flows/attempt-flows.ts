import type { TaskDependency } from '../../interfaces/task-handler.interface.js';
import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { FlowMessages } from '../../task-queue-flows.messages.js';
import type { LevelLogger } from '../level-logger.js';
import type { TaskAttempt } from '../task-attempt.js';
import type { TaskEventHub } from '../task-event-hub.js';
import { AttemptProgress } from './attempt-progress.js';

/**
 * What flows add to a running attempt: `ctx.dependencies` read before the handler runs (only for a task with
 * `dependsOn`), and `ctx.progress()` (an AttemptProgress per attempt that reports any, flushed before it reports).
 */
export class AttemptFlows {
  private readonly progress = new Map<TaskAttempt, AttemptProgress>();
  private warnedUnsupported = false;

  constructor(
    private readonly store: ITaskStore,
    private readonly events: TaskEventHub,
    private readonly logger: LevelLogger,
  ) {}

  async loadDependencies(attempt: TaskAttempt): Promise<void> {
    const ids = attempt.task.dependsOn!;
    const { store } = this;
    const records = store.getMany ? await store.getMany(ids) : await Promise.all(ids.map((id) => store.get(id)));
    attempt.dependencies = Object.freeze(ids.map((id, i) => toDependency(id, records[i])));
  }

  /** `ctx.progress(value)` of an attempt. */
  readonly onProgress = async (attempt: TaskAttempt, value: unknown): Promise<void> => {
    if (this.store.setProgress === undefined) {
      if (!this.warnedUnsupported) this.logger.warn(FlowMessages.progressUnsupported());
      this.warnedUnsupported = true;
      return;
    }
    let progress = this.progress.get(attempt);
    if (progress === undefined) {
      progress = new AttemptProgress(this.store, attempt.lease, this.logger);
      this.progress.set(attempt, progress);
    }
    if (progress.set(value) && this.events.active) this.events.progress(attempt.task, attempt.attempt, value);
  };

  /** Before the attempt reports: its last progress is written (undefined: nothing to wait for, no await). */
  settle(attempt: TaskAttempt): Promise<void> | undefined {
    if (this.progress.size === 0) return undefined;
    const progress = this.progress.get(attempt);
    if (progress === undefined) return undefined;
    this.progress.delete(attempt);
    return progress.flush();
  }
}

function toDependency(id: string, record: TaskRecord | undefined): TaskDependency {
  // Retention keeps a dependency while its dependent is unfinished; one replaced meanwhile shows as it is now.
  if (record === undefined) return { id, handler: '', status: 'cancelled' };
  const dependency: TaskDependency = { id, handler: record.handler, status: record.status };
  if (record.result !== undefined) dependency.result = record.result;
  return dependency;
}
