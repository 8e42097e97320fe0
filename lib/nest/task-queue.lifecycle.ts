import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { TaskQueue } from '../engine/task-queue.js';
import { TaskHandlerExplorer } from './task-handler.explorer.js';
import { TASK_QUEUE } from './task-queue.tokens.js';

/**
 * Ties the engine to Nest's lifecycle: handlers and store at module init, the worker once the whole app
 * has bootstrapped, a graceful drain at module destroy (Nest destroys the root module first and deeper
 * modules after us, so drivers imported below still work while tasks finish), connections released last.
 */
@Injectable()
export class TaskQueueLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
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
