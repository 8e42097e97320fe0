import { Controller, Get, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { defineTask, InMemoryTaskStore, TaskHandler, TaskQueueModule, TaskScheduler } from '../../lib/index.js';
import {
  TaskQueueHealthIndicator,
  TaskQueueObservabilityModule,
  type TaskQueueHealthOptions,
} from '../../lib/observability/index.js';
import { ObservabilityMessages } from '../../lib/observability/observability.messages.js';
import { StoppableStore } from './support/faulty-stores.js';

/** A contract whose handler no worker of this test runs. */
const Unattended = defineTask<{ day: string }>('weekly-digest');

@TaskHandler('report')
class ReportTask {
  async execute(): Promise<void> {}
}

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly tasks: TaskQueueHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.tasks.isHealthy()]);
  }
}

describe('TaskQueueHealthIndicator with @nestjs/terminus', () => {
  let app: INestApplication | undefined;

  async function start(
    store: InMemoryTaskStore,
    options: { autoStart?: boolean; health?: TaskQueueHealthOptions } = {},
  ): Promise<INestApplication> {
    const ref = await Test.createTestingModule({
      imports: [
        TerminusModule.forRoot({ logger: false }),
        TaskQueueModule.forRoot({ store, autoStart: options.autoStart, logger: false }),
        TaskQueueObservabilityModule.forRoot({ health: options.health }),
      ],
      providers: [ReportTask],
      controllers: [HealthController],
    }).compile();
    app = ref.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is up while the store answers and the worker runs', async () => {
    const server = (await start(new StoppableStore())).getHttpServer();
    const response = await request(server).get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      info: {
        'task-queue': {
          status: 'up',
          store: 'up',
          worker: 'running',
          claimFailures: 0,
          pending: 0,
          running: 0,
          oldestDueAgeMs: 0,
          unattendedHandlers: [],
        },
      },
      error: {},
      details: { 'task-queue': expect.objectContaining({ status: 'up' }) },
    });
  });

  it('reports the handlers with due tasks that no live worker runs, staying up', async () => {
    const store = new InMemoryTaskStore();
    const app = await start(store);
    const scheduler = app.get(TaskScheduler);
    await scheduler.schedule(Unattended, { day: 'monday' });
    const id = await scheduler.schedule(ReportTask);
    await scheduler.waitFor(id);
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body.info['task-queue']).toMatchObject({ status: 'up', unattendedHandlers: ['weekly-digest'] });
  });

  it('is down with 503 when the store stops answering', async () => {
    const store = new StoppableStore();
    const server = (await start(store)).getHttpServer();
    store.stopped = true;
    const response = await request(server).get('/health').expect(503);
    expect(response.body.status).toBe('error');
    expect(response.body.error['task-queue']).toMatchObject({
      status: 'down',
      store: 'down',
      message: ObservabilityMessages.storeFailed('connection refused'),
    });
  });

  it('is down when counts() does not answer within storeTimeout', async () => {
    const store = new StoppableStore();
    const indicator = (await start(store, { health: { storeTimeout: 20 } })).get(TaskQueueHealthIndicator);
    store.hanging = true;
    const result = await indicator.isHealthy('tasks');
    store.hanging = false;
    expect(result).toEqual({
      tasks: expect.objectContaining({
        status: 'down',
        store: 'down',
        message: ObservabilityMessages.storeTimedOut(20),
      }),
    });
  });

  it('is down once the worker fails to claim maxClaimFailures times in a row', async () => {
    const store = new StoppableStore();
    const nest = await start(store, { health: { maxClaimFailures: 1 } });
    store.stopped = true;
    await nest.get(TaskScheduler).schedule(ReportTask, undefined); // the store wakes the worker, whose claim fails
    await store.claimsRefused;
    store.stopped = false;
    // The check reads the worker's status before its first await, so before another claim can succeed.
    const { 'task-queue': result } = await nest.get(TaskQueueHealthIndicator).isHealthy();
    expect(result).toMatchObject({
      status: 'down',
      store: 'up',
      worker: 'running',
      message: ObservabilityMessages.claimsFailing(result.claimFailures),
    });
    expect(result.claimFailures).toBeGreaterThanOrEqual(1);
  });

  it('is down when the oldest due task waits longer than maxOldestDueAge', async () => {
    // autoStart: false, so nothing claims it: a producer-only app still watches the backlog.
    const nest = await start(new StoppableStore(), { autoStart: false, health: { maxOldestDueAge: 60_000 } });
    const indicator = nest.get(TaskQueueHealthIndicator);
    expect((await indicator.isHealthy())['task-queue']).toMatchObject({ status: 'up', worker: 'disabled' });
    await nest.get(TaskScheduler).schedule(ReportTask, undefined, { runAt: new Date(Date.now() - 600_000) });
    const { 'task-queue': result } = await indicator.isHealthy();
    expect(result.status).toBe('down');
    expect(result.oldestDueAgeMs).toBeGreaterThanOrEqual(600_000);
    expect(result.message).toBe(ObservabilityMessages.oldestDueTooLate(result.oldestDueAgeMs!, 60_000));
  });

  it('is down once the worker has stopped', async () => {
    const nest = await start(new StoppableStore());
    const indicator = nest.get(TaskQueueHealthIndicator);
    await nest.close();
    app = undefined;
    expect((await indicator.isHealthy())['task-queue']).toMatchObject({
      status: 'down',
      worker: 'stopped',
      message: ObservabilityMessages.workerNotRunning('stopped'),
    });
  });
});
