import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TaskScheduler } from 'nest-task-queue';
import { EventBus } from '../events/event-bus.service.js';
import { welcomeEmailTaskId } from '../notifications/send-welcome-email.task.js';
import type { CreateUserDto } from './create-user.dto.js';
import { UserRegistered } from './user-registered.event.js';
import type { Profile, User } from './user.interface.js';

@Injectable()
export class UsersService {
  private readonly users = new Map<string, User>();

  constructor(
    private readonly events: EventBus,
    private readonly scheduler: TaskScheduler,
  ) {}

  /** Saves the user and publishes UserRegistered; its listeners have scheduled their tasks when this returns. */
  async register({ email, name }: CreateUserDto) {
    const user: User = { id: `u-${randomUUID().slice(0, 8)}`, email, name, subscribed: true, createdAt: new Date() };
    this.users.set(user.id, user);
    await this.events.publish(new UserRegistered(user.id, email, name));
    return { ...user, welcomeEmailTaskId: welcomeEmailTaskId(user.id) };
  }

  get(id: string): User {
    const user = this.users.get(id);
    if (user === undefined) throw new NotFoundException(`No user ${id}`);
    return user;
  }

  /** Cancels the pending welcome email by its task id. False if it was already sent (or never scheduled). */
  async unsubscribe(id: string) {
    const user = this.get(id);
    user.subscribed = false;
    const welcomeEmailCancelled = await this.scheduler.cancel(welcomeEmailTaskId(id));
    return { userId: id, subscribed: false, welcomeEmailCancelled };
  }

  setProfile(id: string, profile: Profile): void {
    this.get(id).profile = profile;
  }
}
