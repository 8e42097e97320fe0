import { Controller, Module, UseGuards, UseInterceptors, type DynamicModule, type Type } from '@nestjs/common';
import { resolveDashboardOptions } from '../dashboard-options.resolver.js';
import type { TaskQueueDashboardOptions } from '../task-queue-dashboard-options.interface.js';
import { DashboardActionGuard } from './dashboard-action.guard.js';
import { DashboardApiController } from './dashboard-api.controller.js';
import { DashboardContext } from './dashboard.context.js';
import { DashboardHeadersInterceptor } from './dashboard-headers.interceptor.js';
import { DashboardPagesController } from './dashboard-pages.controller.js';
import { DASHBOARD_OPTIONS } from './dashboard.tokens.js';

/**
 * A dashboard for the app's task queue, in the browser: `TaskQueueDashboardModule.forRoot({ guards: [AdminGuard] })`
 * mounts it at `/task-queue` (under the app's global prefix), on Express or Fastify. Nothing is mounted unless
 * this module is imported. Start-up fails under NODE_ENV=production without guards (see `allowUnauthenticated`).
 */
@Module({})
export class TaskQueueDashboardModule {
  static forRoot(options: TaskQueueDashboardOptions = {}): DynamicModule {
    const resolved = resolveDashboardOptions(options);
    // Subclasses per forRoot() call: each mount gets its own path and guards; the shared classes stay unchanged.
    const mount = <T extends Type>(base: T): T => {
      const mounted = class extends base {};
      Object.defineProperty(mounted, 'name', { value: base.name });
      Controller(resolved.path.slice(1))(mounted);
      UseInterceptors(DashboardHeadersInterceptor)(mounted);
      if (resolved.guards.length > 0) UseGuards(...resolved.guards)(mounted);
      return mounted;
    };
    return {
      module: TaskQueueDashboardModule,
      controllers: [mount(DashboardPagesController), mount(DashboardApiController)],
      providers: [
        { provide: DASHBOARD_OPTIONS, useValue: resolved },
        DashboardContext,
        DashboardActionGuard,
        DashboardHeadersInterceptor,
      ],
    };
  }
}
