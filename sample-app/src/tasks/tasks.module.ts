import { Module } from '@nestjs/common';
import { TaskQueueModule } from 'nest-task-queue';
import { ConfigModule } from '../config/config.module.js';
import { SampleConfig } from '../config/sample-config.js';
import { Clock } from './clock.service.js';
import { TaskEventsPrinter } from './task-events.printer.js';
import { createTaskStore } from './task-store.factory.js';
import { TasksController } from './tasks.controller.js';

/** The task queue for the whole app (TaskScheduler is injectable everywhere), plus inspection over HTTP. */
@Module({
  imports: [
    TaskQueueModule.forRootAsync({
      imports: [ConfigModule],
      inject: [SampleConfig],
      useFactory: (config: SampleConfig) => ({
        store: createTaskStore(config),
        concurrency: config.concurrency,
        // The printer below shows every event; the queue's own log then only needs real errors.
        logger: config.logTaskEvents ? 'error' : 'log',
      }),
    }),
  ],
  controllers: [TasksController],
  providers: [Clock, TaskEventsPrinter],
  exports: [Clock],
})
export class TasksModule {}
