import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { SampleConfig } from './config/sample-config.js';
import { DemoService } from './demo/demo.service.js';

async function bootstrap(): Promise<void> {
  const config = SampleConfig.fromEnv();
  // The demo's walkthrough reads better without Nest's start-up lines; DEMO=0 keeps them.
  const app = await NestFactory.create(AppModule, config.demo ? { logger: ['fatal', 'error', 'warn'] } : {});
  app.enableShutdownHooks(); // Ctrl+C drains running tasks before exiting
  await app.listen(config.port);
  console.log(`nest-task-queue sample listening on http://localhost:${config.port}`);
  console.log(`Task queue dashboard: http://localhost:${config.port}/dashboard`);
  if (config.demo) {
    app
      .get(DemoService)
      .run(`http://127.0.0.1:${config.port}`)
      .catch((error: unknown) =>
        Logger.error(`The demo stopped: ${error instanceof Error ? error.message : String(error)}`, undefined, 'Demo'),
      );
  }
}

void bootstrap();
