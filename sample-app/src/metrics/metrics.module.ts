import { Module } from '@nestjs/common';
import { TaskQueueObservabilityModule } from 'nest-task-queue/observability';
import { MetricsController } from './metrics.controller.js';
import { metricsRegistry } from './metrics.registry.js';

/** Task metrics for Prometheus (task_queue_*), served at GET /metrics. */
@Module({
  imports: [TaskQueueObservabilityModule.forRoot({ prometheus: { registry: metricsRegistry } })],
  controllers: [MetricsController],
})
export class MetricsModule {}
