import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { TaskQueue } from '../engine/task-queue.js';
import { TaskHandlerExplorer } from './task-handler.explorer.js';
import { TASK_QUEUE } from './task-queue.tokens.js';

/**
 * Ties the engine to Nest's lifecycle: handlers and store at module init, the worker once the whole app has
 * bootstrapped, a graceful drain at module destroy, the store's connections released at application shutdown.
 * app.close() runs each phase in every module before the next (onModuleDestroy, beforeApplicationShutdown,
 * onApplicationShutdown), so draining in the first lets running tasks use what any module releases in the
 * later two. Not what a module releases in its own onModuleDestroy: that may come first (global modules,
 * TaskQueueModule by default, have their hooks called after every other module's).
 * See test/core/shutdown-order.spec.ts.
 */
@Injectable()
export class TaskQueueLifecycle
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  constructor(
    @Inject(TASK_QUEUE) private readonly queue: TaskQueue,
    private readonly explorer: TaskHandlerExplorer,
  ) {}

  onModuleInit(): Promise<void> {
    this.explorer.registerAll(this.queue);
    return this.queue.init();
  }

  onApplicationBootstrap(): Promise<void> {
    return this.queue.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.queue.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.queue.close();
  }
}
