import { TaskHandler, type ITaskHandler } from 'nest-task-queue';
import { ActivityLogService } from './activity-log.service.js';

export interface LogActivityArgs {
  userId: string;
  action: string;
}

@TaskHandler('log-activity')
export class LogActivityTask implements ITaskHandler<LogActivityArgs> {
  constructor(private readonly activity: ActivityLogService) {}

  execute({ userId, action }: LogActivityArgs) {
    this.activity.record(userId, action);
  }
}
