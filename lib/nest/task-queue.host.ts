import { Injectable } from '@nestjs/common';
import type { TaskQueue } from '../engine/task-queue.js';

/**
 * Where the modules built on TaskQueueModule (observability) find its engine through DI (internal). TaskQueueModule
 * keeps the engine to itself and may be non-global; TaskQueueHostModule is one static module, so both sides share it.
 */
@Injectable()
export class TaskQueueHost {
  private hosted: TaskQueue | undefined;

  /** The engine, once TaskQueueModule has built it (before any onModuleInit); undefined if the app has none. */
  get queue(): TaskQueue | undefined {
    return this.hosted;
  }

  /** Called by TaskQueueModule. One queue per app: a second TaskQueueModule does not replace the first. */
  attach(queue: TaskQueue): void {
    this.hosted ??= queue;
  }
}
