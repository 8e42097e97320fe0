import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TaskQueueHost } from '../../nest/task-queue.host.js';
import { LOGGER_CONTEXT } from '../../task-queue.constants.js';
import type { ResolvedObservabilityOptions } from '../task-queue-observability-options.interface.js';
import { TaskQueueInstrumentation } from '../task-queue.instrumentation.js';
import { RESOLVED_OBSERVABILITY_OPTIONS } from './observability.tokens.js';
import { resolveTaskQueue } from './task-queue.resolver.js';

/**
 * Attaches the observers at module init (before the worker starts at bootstrap) and detaches them at
 * application shutdown (after the queue drained at module destroy, so the last outcomes are counted).
 */
@Injectable()
export class TaskQueueObservabilityLifecycle implements OnModuleInit, OnApplicationShutdown {
  private instrumentation: TaskQueueInstrumentation | undefined;

  constructor(
    private readonly host: TaskQueueHost,
    @Inject(RESOLVED_OBSERVABILITY_OPTIONS) private readonly options: ResolvedObservabilityOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const { logging } = this.options;
    const options =
      logging === undefined || logging.logger !== undefined
        ? this.options
        : { ...this.options, logging: { ...logging, logger: new Logger(LOGGER_CONTEXT) } };
    this.instrumentation = await TaskQueueInstrumentation.attach(resolveTaskQueue(this.host), options);
  }

  onApplicationShutdown(): void {
    this.instrumentation?.detach();
  }
}
