import { Injectable } from '@nestjs/common';
import { FINISHED_STATUSES, TaskScheduler, type TaskEvent, type TaskInfo } from 'nest-task-queue';
import { defer, filter, firstValueFrom, map, merge, take, throwError, timeout } from 'rxjs';

const isFinal = (event: TaskEvent): boolean =>
  event.type === 'succeeded' || event.type === 'cancelled' || (event.type === 'failed' && !event.willRetry);

/** Waits for a task to finish by listening to `events$`: no polling. The demo and the tests use it. */
@Injectable()
export class TaskWatcher {
  constructor(private readonly scheduler: TaskScheduler) {}

  /** Resolves with the task once it succeeded, failed for good or was cancelled; rejects after `timeoutMs`. */
  async finished(taskId: string, timeoutMs = 30_000): Promise<TaskInfo> {
    const finishesLater = this.scheduler.events$.pipe(filter((event) => event.taskId === taskId && isFinal(event)));
    const finishedAlready = defer(() => this.scheduler.getTask(taskId)).pipe(
      map((task) => {
        if (task === undefined) throw new Error(`Unknown task ${taskId}`);
        return task;
      }),
      filter((task) => FINISHED_STATUSES.includes(task.status)),
    );
    // merge() subscribes to the events first, then looks: an event between the two is not missed.
    const tooLate = () => throwError(() => new Error(`Task ${taskId} did not finish within ${timeoutMs} ms`));
    await firstValueFrom(
      merge(finishesLater, finishedAlready).pipe(take(1), timeout({ first: timeoutMs, with: tooLate })),
    );
    return (await this.scheduler.getTask(taskId))!;
  }
}
