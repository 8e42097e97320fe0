import { Controller, Get, Query } from '@nestjs/common';
import { ActivityLogService } from './activity-log.service.js';

@Controller('activity')
export class ActivityController {
  constructor(private readonly activity: ActivityLogService) {}

  /** GET /activity/digests: what each run of the recurring activity-digest task summed up. */
  @Get('digests')
  digests() {
    return this.activity.listDigests();
  }

  /** GET /activity?userId=...: what the log-activity task recorded. */
  @Get()
  list(@Query('userId') userId?: string) {
    return this.activity.list(userId);
  }
}
