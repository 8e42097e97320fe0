import { TaskHandler, type ITaskHandler } from 'nest-task-queue';
import { MailService } from './mail.service.js';

export interface WelcomeEmailArgs {
  userId: string;
  email: string;
  name: string;
}

/** The welcome email's task id: known in advance, so unsubscribing can cancel it without a lookup. */
export const welcomeEmailTaskId = (userId: string): string => `welcome-email:${userId}`;

/** Scheduled a few minutes after registration; cancelled if the user unsubscribes first. */
@TaskHandler('send-welcome-email')
export class SendWelcomeEmailTask implements ITaskHandler<WelcomeEmailArgs> {
  constructor(private readonly mail: MailService) {}

  async execute({ email, name }: WelcomeEmailArgs) {
    const sent = await this.mail.send(email, `Welcome, ${name}!`, 'Thanks for signing up.');
    return { sentAt: sent.sentAt.toISOString() };
  }
}
