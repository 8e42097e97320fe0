import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TaskQueueModuleOptions } from '../interfaces/task-queue-options.interface.js';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<TaskQueueModuleOptions>({
    moduleName: 'TaskQueue',
  })
    .setClassMethodName('forRoot')
    // Global by default: the scheduler is injectable everywhere, as one queue per app is the norm.
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
