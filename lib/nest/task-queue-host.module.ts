import { Module } from '@nestjs/common';
import { TaskQueueHost } from './task-queue.host.js';

/** Shares `TaskQueueHost` between TaskQueueModule and the modules that watch its engine (internal). */
@Module({ providers: [TaskQueueHost], exports: [TaskQueueHost] })
export class TaskQueueHostModule {}
