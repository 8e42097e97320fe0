import { Module } from '@nestjs/common';
import { ActivityLogService } from './activity-log.service.js';
import { ActivityController } from './activity.controller.js';
import { ActivityDigestTask } from './activity-digest.task.js';
import { LogActivityTask } from './log-activity.task.js';

@Module({
  controllers: [ActivityController],
  providers: [ActivityLogService, LogActivityTask, ActivityDigestTask],
})
export class ActivityModule {}
