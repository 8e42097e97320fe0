import { Injectable, Module } from '@nestjs/common';
import { TaskHandler, TaskQueueModule, TaskScheduler, type ITaskHandler } from 'nest-task-queue';

@Injectable()
export class MailService {
  readonly sent: string[] = [];
  async send(to: string): Promise<void> {
    this.sent.push(to); // a real one would call your mail provider
  }
}

@TaskHandler('send-welcome-email')
export class SendWelcomeEmailTask implements ITaskHandler<{ email: string }> {
  constructor(private readonly mail: MailService) {}
  async execute({ email }: { email: string }): Promise<void> {
    await this.mail.send(email);
  }
}

@Injectable()
export class UsersService {
  constructor(private readonly scheduler: TaskScheduler) {}
  async register(email: string): Promise<void> {
    await this.scheduler.schedule(SendWelcomeEmailTask, { email }, { delay: 5 * 60_000 });
  }
}

@Module({
  imports: [TaskQueueModule.forRoot()],
  providers: [MailService, SendWelcomeEmailTask, UsersService],
})
export class AppModule {}
