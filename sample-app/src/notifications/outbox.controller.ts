import { Controller, Get, Query } from '@nestjs/common';
import { MailService } from './mail.service.js';

@Controller('notifications')
export class OutboxController {
  constructor(private readonly mail: MailService) {}

  /** GET /notifications/outbox?to=ada@example.com: every email "sent" so far. */
  @Get('outbox')
  outbox(@Query('to') to?: string) {
    return this.mail.outbox(to);
  }
}
