import { Recurring, TaskHandler, type ITaskHandler, type TaskContext } from 'nest-task-queue';
import { ActivityLogService } from './activity-log.service.js';

/**
 * Every hour, once per cluster however many replicas run: sums up the activity since the last digest
 * (GET /activity/digests). Each run is an ordinary task with the id `activity-digest@<hour>`.
 */
@Recurring({ key: 'activity-digest', cron: '0 * * * *' })
@TaskHandler('activity-digest')
export class ActivityDigestTask implements ITaskHandler<void> {
  constructor(private readonly activity: ActivityLogService) {}

  execute(_args: void, ctx: TaskContext) {
    return this.activity.digest(ctx.taskId);
  }
}
