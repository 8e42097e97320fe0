import { NonRetryableError, TaskHandler, type ITaskHandler } from 'nest-task-queue';
import { UsersService } from './users.service.js';

export interface CreateProfileArgs {
  userId: string;
  name: string;
}

@TaskHandler('create-profile')
export class CreateProfileTask implements ITaskHandler<CreateProfileArgs> {
  constructor(private readonly users: UsersService) {}

  execute({ userId, name }: CreateProfileArgs) {
    // A durable store may hand us a task from a previous run whose user this in-memory sample forgot.
    try {
      this.users.setProfile(userId, { displayName: name, createdAt: new Date() });
    } catch (error) {
      throw new NonRetryableError(`User ${userId} is gone: ${(error as Error).message}`);
    }
  }
}
