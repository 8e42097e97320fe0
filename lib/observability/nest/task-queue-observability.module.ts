import { Module, type DynamicModule } from '@nestjs/common';
import { checkAsyncOptions } from '../../nest/async-options.guard.js';
import { TaskQueueHostModule } from '../../nest/task-queue-host.module.js';
import { ObservabilityMessages } from '../observability.messages.js';
import { resolveObservabilityOptions } from '../observability-options.resolver.js';
import { RESOLVED_OBSERVABILITY_OPTIONS } from './observability.tokens.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
} from './task-queue-observability.module-definition.js';
import { TaskQueueObservabilityLifecycle } from './task-queue-observability.lifecycle.js';
import { TaskQueueHealthIndicator } from './task-queue.health-indicator.js';

/**
 * Metrics, traces, logs and a health indicator for the app's TaskQueueModule:
 * `TaskQueueObservabilityModule.forRoot({ prometheus: { registry }, tracing: true })`, or `forRootAsync`.
 * Provides `TaskQueueHealthIndicator`.
 */
@Module({
  imports: [TaskQueueHostModule],
  providers: [
    {
      provide: RESOLVED_OBSERVABILITY_OPTIONS,
      useFactory: resolveObservabilityOptions,
      inject: [MODULE_OPTIONS_TOKEN],
    },
    TaskQueueObservabilityLifecycle,
    TaskQueueHealthIndicator,
  ],
  exports: [TaskQueueHealthIndicator],
})
export class TaskQueueObservabilityModule extends ConfigurableModuleClass {
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(checkAsyncOptions(options, ObservabilityMessages.asyncOptionsWithoutFactory));
  }
}
