import type { CanActivate, Type } from '@nestjs/common';
import type { TaskInfo } from '../interfaces/task-info.interface.js';

/** `TaskQueueDashboardModule.forRoot()` options. */
export interface TaskQueueDashboardOptions {
  /** Where the dashboard is mounted, under the app's global prefix. Default `/task-queue`. */
  path?: string;
  /**
   * Nest guards (classes or instances) applied to every route of the dashboard: pages, assets, the JSON API and
   * its live stream alike. With `NODE_ENV=production` and no guards, start-up fails unless `allowUnauthenticated`.
   */
  guards?: (CanActivate | Type<CanActivate>)[];
  /** Show everything, change nothing: no action buttons, and the API answers actions with 403. Default false. */
  readOnly?: boolean;
  /**
   * Whether a task's page shows its args (often personal data): `true`, or a function that returns what to show
   * instead (a redacted copy). Default: not shown.
   */
  showArgs?: boolean | ((args: unknown, task: TaskInfo) => unknown);
  /** Allows a dashboard without guards under `NODE_ENV=production` (you protect it some other way). Default false. */
  allowUnauthenticated?: boolean;
}
