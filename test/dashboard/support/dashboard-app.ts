import { Controller, Module, type CanActivate, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { TaskQueueModule, type ITaskStore, type TaskScheduler } from '../../../lib/index.js';
import { TaskScheduler as Scheduler } from '../../../lib/index.js';
import { TaskQueueDashboardModule, type TaskQueueDashboardOptions } from '../../../lib/dashboard/index.js';

export type Platform = 'express' | 'fastify';

export interface DashboardApp {
  app: INestApplication;
  scheduler: TaskScheduler;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The dashboard's URL: origin + global prefix + path. */
  url: string;
  close(): Promise<void>;
}

@Controller()
class NothingController {}

/** An HTTP app with TaskQueueModule, the given handlers and the dashboard, listening on a free port. */
export async function startDashboardApp(options: {
  platform?: Platform;
  dashboard?: TaskQueueDashboardOptions;
  providers?: Type[];
  store?: ITaskStore;
  globalPrefix?: string;
  guards?: (CanActivate | Type<CanActivate>)[];
}): Promise<DashboardApp> {
  @Module({
    imports: [
      TaskQueueModule.forRoot({ logger: 'error', store: options.store }),
      TaskQueueDashboardModule.forRoot(options.dashboard),
    ],
    controllers: [NothingController],
    providers: options.providers ?? [],
  })
  class AppModule {}
  const adapter = options.platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create<INestApplication>(AppModule, adapter, { logger: ['error'] });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const origin = `http://127.0.0.1:${address.port}`;
  const prefix = options.globalPrefix ? `/${options.globalPrefix}` : '';
  const path = options.dashboard?.path ?? '/task-queue';
  return {
    app,
    scheduler: app.get(Scheduler),
    origin,
    url: origin + prefix + (path.startsWith('/') ? path : `/${path}`),
    close: () => app.close(),
  };
}
