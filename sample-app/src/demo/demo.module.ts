import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [TasksModule], providers: [DemoService], exports: [DemoService] })
export class DemoModule {}
