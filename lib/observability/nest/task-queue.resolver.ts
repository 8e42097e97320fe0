import type { ModuleRef } from '@nestjs/core';
import type { TaskQueue } from '../../engine/task-queue.js';
import { TaskQueueError } from '../../errors/task-queue.error.js';
import { TASK_QUEUE } from '../../nest/task-queue.tokens.js';
import { ObservabilityMessages } from '../observability.messages.js';

/** The app's engine (TaskQueueModule keeps it to itself, so it is looked up app-wide, after all modules are built). */
export function resolveTaskQueue(moduleRef: ModuleRef): TaskQueue {
  try {
    return moduleRef.get<TaskQueue>(TASK_QUEUE, { strict: false });
  } catch (error) {
    throw new TaskQueueError(ObservabilityMessages.noTaskQueue(), { cause: error });
  }
}
