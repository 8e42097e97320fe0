import type { TaskEvent, TaskEventType, TaskObserver } from '../interfaces/task-event.interface.js';
import type { TaskError, TaskRecord } from '../interfaces/task-record.interface.js';

export interface EventDetails {
  attempt?: number;
  lateness?: number;
  duration?: number;
  error?: TaskError;
  willRetry?: boolean;
  retryAt?: Date;
}

/** Fans task events out to observers. Callers check `active` first, so no event is built for nobody. */
export class TaskEventHub {
  private observers: TaskObserver[] = [];

  get active(): boolean {
    return this.observers.length > 0;
  }

  observe(observer: TaskObserver): () => void {
    this.observers = [...this.observers, observer];
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
    };
  }

  emit(type: TaskEventType, task: Pick<TaskRecord, 'id' | 'handler' | 'name' | 'partitionKey'>, details: EventDetails = {}): void {
    const event: TaskEvent = {
      type,
      taskId: task.id,
      handler: task.handler,
      name: task.name,
      partitionKey: task.partitionKey,
      attempt: details.attempt ?? 0,
      timestamp: Date.now(),
      ...details,
    };
    for (const observer of this.observers) {
      try {
        observer.onTaskEvent(event);
      } catch {
        // An observer's bug must not fail the task or the worker.
      }
    }
  }
}
