import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { TaskQueueHost } from '../../nest/task-queue.host.js';
import { TaskQueueHealthCheck, type TaskQueueHealth } from '../health/task-queue.health-check.js';
import type { ResolvedObservabilityOptions } from '../task-queue-observability-options.interface.js';
import { RESOLVED_OBSERVABILITY_OPTIONS } from './observability.tokens.js';
import { resolveTaskQueue } from './task-queue.resolver.js';

/** A terminus indicator result (the shape of `HealthIndicatorResult`, without importing @nestjs/terminus). */
export type TaskQueueHealthResult<Key extends string = string> = Record<
  Key,
  { status: 'up' | 'down'; message?: string } & Omit<TaskQueueHealth, 'healthy' | 'problems'>
>;

/**
 * A health indicator for @nestjs/terminus (an optional peer: nothing of it is imported). Up when the store
 * answers in time, the worker runs and claims, and the oldest due task is not later than the threshold.
 *
 * @example @Get('health') @HealthCheck() check() { return this.health.check([() => this.tasks.isHealthy()]); }
 */
@Injectable()
export class TaskQueueHealthIndicator implements OnModuleInit {
  private healthCheck: TaskQueueHealthCheck | undefined;

  constructor(
    private readonly host: TaskQueueHost,
    @Inject(RESOLVED_OBSERVABILITY_OPTIONS) private readonly options: ResolvedObservabilityOptions,
  ) {}

  onModuleInit(): void {
    this.healthCheck = new TaskQueueHealthCheck(resolveTaskQueue(this.host), this.options.health);
  }

  async isHealthy<const Key extends string = 'task-queue'>(
    key: Key = 'task-queue' as Key,
  ): Promise<TaskQueueHealthResult<Key>> {
    this.healthCheck ??= new TaskQueueHealthCheck(resolveTaskQueue(this.host), this.options.health);
    const { healthy, problems, ...details } = await this.healthCheck.check();
    const result = healthy
      ? { status: 'up' as const, ...details }
      : { status: 'down' as const, message: problems.join('; '), ...details };
    return { [key]: result } as TaskQueueHealthResult<Key>;
  }
}
