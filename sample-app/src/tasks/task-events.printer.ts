import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TaskScheduler, type TaskEvent } from 'nest-task-queue';
import type { Subscription } from 'rxjs';
import { SampleConfig } from '../config/sample-config.js';
import { Clock } from './clock.service.js';

/** Prints every task event as it happens, timed from start-up: the sample's window into `events$`. */
@Injectable()
export class TaskEventsPrinter implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;

  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly config: SampleConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.logTaskEvents) this.subscription = this.scheduler.events$.subscribe((event) => this.print(event));
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  private print(event: TaskEvent): void {
    const what = `${event.type.padEnd(9)} ${event.handler.padEnd(18)} ${shortId(event.taskId).padEnd(25)}`;
    console.log(`${this.clock.stamp(event.timestamp)}  ${what} ${describe(event)}`.trimEnd());
  }
}

function describe(event: TaskEvent): string {
  const partition = event.partitionKey ? ` [${event.partitionKey}]` : '';
  switch (event.type) {
    case 'scheduled':
      return partition.trim();
    case 'started':
      return `attempt ${event.attempt}${partition}`;
    case 'succeeded':
      return `attempt ${event.attempt}, took ${event.duration} ms${partition}`;
    case 'failed': {
      const next = event.willRetry ? `retry in ${event.retryAt!.getTime() - event.timestamp} ms` : 'no retries left';
      return `attempt ${event.attempt}: ${event.error?.message} -> ${next}`;
    }
    case 'cancelled':
      return event.attempt > 0 ? `after ${event.attempt} attempt(s)` : 'before it ever ran';
    case 'progress':
      return `attempt ${event.attempt}: ${JSON.stringify(event.progress)}`;
  }
}

/** UUIDs are long; their first block is enough to follow a task in the log. Own ids are kept whole. */
const shortId = (id: string): string => (/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(id) ? `${id.slice(0, 8)}…` : id);
