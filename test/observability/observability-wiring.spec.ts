import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { TaskHandler, TaskQueueModule, TaskScheduler } from '../../lib/index.js';
import { TaskQueueHealthIndicator, TaskQueueObservabilityModule } from '../../lib/observability/index.js';
import { PrometheusText } from './support/prometheus-text.js';

@TaskHandler('ping')
class PingTask {
  async execute(): Promise<void> {}
}

// Neither module is global and neither imports the other: they meet only through the host they both import.
@Module({
  imports: [TaskQueueModule.forRoot({ isGlobal: false, logger: false })],
  providers: [PingTask],
  exports: [TaskQueueModule],
})
class TasksModule {}

const registry = new Registry();
@Module({
  imports: [TaskQueueObservabilityModule.forRoot({ isGlobal: false, prometheus: { registry } })],
  exports: [TaskQueueObservabilityModule],
})
class MonitoringModule {}

describe('TaskQueueObservabilityModule wiring', () => {
  it('watches a TaskQueueModule that is not global, imported in another feature module', async () => {
    const app = await (await Test.createTestingModule({ imports: [TasksModule, MonitoringModule] }).compile()).init();
    try {
      const scheduler = app.select(TasksModule).get(TaskScheduler);
      await scheduler.schedule('ping');
      await scheduler.whenIdle();
      const metrics = new PrometheusText(await registry.metrics());
      expect(metrics.value('task_queue_tasks_total', { handler: 'ping', outcome: 'succeeded' })).toBe(1);
      const health = await app.select(MonitoringModule).get(TaskQueueHealthIndicator).isHealthy();
      expect(health['task-queue']).toMatchObject({ status: 'up', worker: 'running' });
    } finally {
      await app.close();
    }
  });
});
