import { Controller, Get, Query } from '@nestjs/common';
import { ActivityLogService } from './activity-log.service.js';

@Controller('activity')
export class ActivityController {
  constructor(private readonly activity: ActivityLogService) {}

  /** GET /activity?userId=...: what the log-activity task recorded. */
  @Get()
  list(@Query('userId') userId?: string) {
    return this.activity.list(userId);
  }
}
