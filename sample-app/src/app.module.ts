import { Module } from '@nestjs/common';
import { TaskQueueDashboardModule } from 'nest-task-queue/dashboard';
import { ActivityModule } from './activity/activity.module.js';
import { ConfigModule } from './config/config.module.js';
import { DemoModule } from './demo/demo.module.js';
import { EventsModule } from './events/events.module.js';
import { ExternalApiModule } from './external-api/external-api.module.js';
import { FilesModule } from './files/files.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OnboardingModule } from './onboarding/onboarding.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    ConfigModule,
    EventsModule,
    TasksModule,
    UsersModule,
    NotificationsModule,
    ActivityModule,
    OnboardingModule,
    OrdersModule,
    ExternalApiModule,
    FilesModule,
    MetricsModule,
    DemoModule,
    // The task queue in the browser at /dashboard. A real app passes `guards` (who may see and act): without
    // them, start-up under NODE_ENV=production fails. showArgs: the sample's args hold no personal data.
    TaskQueueDashboardModule.forRoot({ path: '/dashboard', showArgs: true }),
  ],
})
export class AppModule {}
