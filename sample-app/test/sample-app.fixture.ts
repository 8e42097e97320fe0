import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskScheduler, type TaskEvent } from 'nest-task-queue';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';
import { SampleConfig } from '../src/config/sample-config.js';

export interface SampleApp {
  app: INestApplication;
  config: SampleConfig;
  /** supertest bound to the app */
  http: () => ReturnType<typeof request>;
  scheduler: TaskScheduler;
  close(): Promise<void>;
}

/**
 * Boots the sample's AppModule with small delays, no demo and no console output, listening on a free port
 * (the retry scenario calls the app's own fake API over real HTTP). Each test gets its own upload folder.
 */
export async function startSampleApp(overrides: Partial<SampleConfig> = {}): Promise<SampleApp> {
  const uploadDir = await mkdtemp(join(tmpdir(), 'sample-e2e-'));
  const config = SampleConfig.from({
    demo: false,
    logTaskEvents: false,
    welcomeDelayMs: 50,
    fileTtlMs: 50,
    apiRetryBaseMs: 10,
    orderStepMs: 20,
    uploadDir,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(SampleConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    scheduler: app.get(TaskScheduler),
    async close() {
      await app.close();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}

/** Records task events from now on; call `stop()` when done. */
export function recordEvents(scheduler: TaskScheduler): { events: TaskEvent[]; stop: () => void } {
  const events: TaskEvent[] = [];
  const subscription = scheduler.events$.subscribe((event) => events.push(event));
  return { events, stop: () => subscription.unsubscribe() };
}
