import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TaskQueueObservabilityOptions } from '../task-queue-observability-options.interface.js';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<TaskQueueObservabilityOptions>({
    moduleName: 'TaskQueueObservability',
  })
    .setClassMethodName('forRoot')
    // Global by default, like TaskQueueModule: a health controller anywhere can inject the indicator.
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
