import { Module } from '@nestjs/common';
import { UserRegisteredListener } from './user-registered.listener.js';

@Module({ providers: [UserRegisteredListener] })
export class OnboardingModule {}
