// The dashboard, at `nest-task-queue/dashboard` (an admin surface: mounted only where the app imports it).
export { TaskQueueDashboardModule } from './nest/task-queue-dashboard.module.js';
export type { TaskQueueDashboardOptions } from './task-queue-dashboard-options.interface.js';
export type { OverviewView, TaskListView } from './dashboard.reader.js';
export type { TaskRowView, TaskPageView } from './view/task-view.mapper.js';
export type { ActivityMinute } from './view/task-activity.recorder.js';
