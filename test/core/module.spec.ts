import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  DEFAULT_RETRY_STRATEGY,
  DuplicateTaskHandlerError,
  FixedDelayRetryStrategy,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  TASK_STORE,
  TaskHandler,
  TaskQueueModule,
  TaskScheduler,
  type ITaskHandler,
  type ITaskStore,
} from '../../lib/index.js';

@Injectable()
class Mailer {
  readonly sent: string[] = [];
}

@TaskHandler()
class SendEmailTask implements ITaskHandler<{ email: string }> {
  constructor(private readonly mailer: Mailer) {}
  execute(args: { email: string }) {
    this.mailer.sent.push(args.email);
  }
}

@Injectable()
class QueueConfig {
  readonly store = new InMemoryTaskStore();
  readonly concurrency = 3;
}

@Module({ providers: [QueueConfig], exports: [QueueConfig] })
class ConfigModule {}

describe('TaskQueueModule', () => {
  it('forRootAsync builds options from injected providers', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRootAsync({
          imports: [ConfigModule],
          inject: [QueueConfig],
          useFactory: (config: QueueConfig) => ({ store: config.store, concurrency: config.concurrency }),
        }),
      ],
      providers: [Mailer, SendEmailTask],
    }).compile();
    const app = await moduleRef.init();
    expect(app.get<ITaskStore>(TASK_STORE)).toBe(app.get(QueueConfig, { strict: false }).store);
    await app.get(TaskScheduler).schedule(SendEmailTask, { email: 'a@b.c' });
    await app.get(TaskScheduler).whenIdle();
    expect(app.get(Mailer).sent).toEqual(['a@b.c']);
    await app.close();
  });

  it('forRootAsync without a factory is refused at once, clearly', () => {
    expect(() => TaskQueueModule.forRootAsync({ inject: [] })).toThrow(
      new InvalidTaskOptionsError('TaskQueueModule.forRootAsync() needs useFactory, useClass or useExisting.'),
    );
  });

  it('refuses invalid module options at start-up', async () => {
    const compiling = Test.createTestingModule({ imports: [TaskQueueModule.forRoot({ concurrency: 0 })] }).compile();
    await expect(compiling).rejects.toThrow(
      new InvalidTaskOptionsError('Expected `concurrency` to be an integer from 1 up, got `0`'),
    );
  });

  it('provides the store and the default retry strategy for injection', async () => {
    const strategy = new FixedDelayRetryStrategy(5);
    const store = new InMemoryTaskStore();
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot({ store, defaultRetryStrategy: strategy })],
    }).compile();
    expect(moduleRef.get(TASK_STORE)).toBe(store);
    expect(moduleRef.get(DEFAULT_RETRY_STRATEGY)).toBe(strategy);
    await moduleRef.close();
  });

  it('is global: a feature module injects TaskScheduler without importing the module', async () => {
    @Injectable()
    class SignupService {
      constructor(readonly scheduler: TaskScheduler) {}
    }
    @Module({ providers: [SignupService, Mailer, SendEmailTask] })
    class SignupModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TaskQueueModule.forRoot(), SignupModule] }).compile();
    const app = await moduleRef.init();
    await app.get(SignupService).scheduler.schedule('SendEmailTask', { email: 'x@y.z' });
    await app.get(TaskScheduler).whenIdle();
    expect(app.get(Mailer).sent).toEqual(['x@y.z']);
    await app.close();
  });
});

describe('@TaskHandler discovery', () => {
  it('fails the bootstrap when two handlers share a name, naming both classes', async () => {
    @TaskHandler('notify')
    class EmailNotifier implements ITaskHandler {
      execute() {}
    }
    @TaskHandler('notify')
    class SmsNotifier implements ITaskHandler {
      execute() {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot()],
      providers: [EmailNotifier, SmsNotifier],
    }).compile();
    const init = moduleRef.init();
    await expect(init).rejects.toThrow(DuplicateTaskHandlerError);
    await expect(init).rejects.toThrow(
      `Two task handlers are named "notify": EmailNotifier and SmsNotifier. Give one of them another name with @TaskHandler('...').`,
    );
  });

  it('finds handlers provided with useValue and useFactory', async () => {
    @TaskHandler('by-value')
    class ByValue implements ITaskHandler {
      ran = 0;
      execute() {
        this.ran++;
      }
    }
    @TaskHandler('by-factory')
    class ByFactory implements ITaskHandler {
      ran = 0;
      execute() {
        this.ran++;
      }
    }
    const byValue = new ByValue();
    const byFactory = new ByFactory();
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot()],
      providers: [
        { provide: 'VALUE', useValue: byValue },
        { provide: 'FACTORY', useFactory: () => byFactory },
      ],
    }).compile();
    const app = await moduleRef.init();
    const scheduler = app.get(TaskScheduler);
    await scheduler.schedule(ByValue, undefined);
    await scheduler.schedule('by-factory');
    await scheduler.whenIdle();
    expect([byValue.ran, byFactory.ran]).toEqual([1, 1]);
    await app.close();
  });

  it('gives a request-scoped handler a fresh instance for each task', async () => {
    let instances = 0;
    @Injectable({ scope: Scope.REQUEST })
    class PerRequest {
      readonly n = ++instances;
      constructor(@Inject(REQUEST) readonly request: unknown) {}
    }
    const seen: number[] = [];
    @TaskHandler('scoped')
    class ScopedTask implements ITaskHandler {
      constructor(private readonly perRequest: PerRequest) {}
      execute() {
        seen.push(this.perRequest.n);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot({ logger: 'error' })],
      providers: [PerRequest, ScopedTask],
    }).compile();
    const app = await moduleRef.init();
    const scheduler = app.get(TaskScheduler);
    await scheduler.schedule('scoped');
    await scheduler.whenIdle();
    await scheduler.schedule(ScopedTask, undefined);
    await scheduler.whenIdle();
    expect(seen).toEqual([1, 2]);
    await app.close();
  });

  it('refuses a decorated class without execute()', async () => {
    @TaskHandler()
    class NotAHandler {}
    const moduleRef = await Test.createTestingModule({
      imports: [TaskQueueModule.forRoot()],
      providers: [NotAHandler],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(
      'NotAHandler is decorated with @TaskHandler() but has no execute(args, ctx) method.',
    );
  });
});
