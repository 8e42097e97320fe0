import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TaskScheduler } from 'nest-task-queue';
import { LogActivityTask, type LogActivityArgs } from '../activity/log-activity.task.js';
import { SampleConfig } from '../config/sample-config.js';
import { EventBus } from '../events/event-bus.service.js';
import {
  SendWelcomeEmailTask,
  welcomeEmailTaskId,
  type WelcomeEmailArgs,
} from '../notifications/send-welcome-email.task.js';
import { CreateProfileTask, type CreateProfileArgs } from '../users/create-profile.task.js';
import { UserRegistered } from '../users/user-registered.event.js';

/** Event-driven fan-out: one UserRegistered event becomes three tasks, scheduled in one store call. */
@Injectable()
export class UserRegisteredListener implements OnModuleInit {
  constructor(
    private readonly events: EventBus,
    private readonly scheduler: TaskScheduler,
    private readonly config: SampleConfig,
  ) {}

  onModuleInit(): void {
    this.events.on(UserRegistered, (event) => this.onUserRegistered(event));
  }

  async onUserRegistered({ userId, email, name }: UserRegistered): Promise<void> {
    await this.scheduler.scheduleMany([
      {
        handler: SendWelcomeEmailTask,
        args: { userId, email, name } satisfies WelcomeEmailArgs,
        // Delayed notification, with an id we choose so unsubscribing can cancel it.
        options: { delay: this.config.welcomeDelayMs, taskId: welcomeEmailTaskId(userId) },
      },
      { handler: CreateProfileTask, args: { userId, name } satisfies CreateProfileArgs },
      { handler: LogActivityTask, args: { userId, action: 'UserRegistered' } satisfies LogActivityArgs },
    ]);
  }
}
