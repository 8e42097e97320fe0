import { Module } from '@nestjs/common';
import { MailService } from './mail.service.js';
import { OutboxController } from './outbox.controller.js';
import { SendWelcomeEmailTask } from './send-welcome-email.task.js';

@Module({
  controllers: [OutboxController],
  providers: [MailService, SendWelcomeEmailTask],
  exports: [MailService],
})
export class NotificationsModule {}
