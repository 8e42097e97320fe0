import { Module } from '@nestjs/common';
import { CreateProfileTask } from './create-profile.task.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [UsersController],
  providers: [UsersService, CreateProfileTask],
})
export class UsersModule {}
