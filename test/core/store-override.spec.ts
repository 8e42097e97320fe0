import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import {
  InMemoryTaskStore,
  RedisTaskStore,
  StoreUnavailableError,
  TASK_QUEUE_OPTIONS,
  TASK_STORE,
  TaskHandler,
  TaskQueueModule,
  TaskScheduler,
  type ITaskHandler,
} from '../../lib/index.js';

/** A loopback port nothing listens on: a store that tried to start there would fail its init. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

@Injectable()
class Outbox {
  readonly sent: string[] = [];
}

@TaskHandler({ name: 'send' })
class SendTask implements ITaskHandler<{ to: string }> {
  constructor(private readonly outbox: Outbox) {}
  execute(args: { to: string }) {
    this.outbox.sent.push(args.to);
  }
}

/** An app as production configures it: on Redis (here one that is not there), by forRoot or forRootAsync. */
function appModule(redisUrl: string, form: 'forRoot' | 'forRootAsync') {
  const queue =
    form === 'forRoot'
      ? TaskQueueModule.forRoot({ store: new RedisTaskStore({ connection: redisUrl }), logLevel: false })
      : TaskQueueModule.forRootAsync({
          useFactory: () => ({ store: new RedisTaskStore({ connection: redisUrl }), logLevel: false }),
        });
  @Module({ imports: [queue], providers: [Outbox, SendTask] })
  class AppModule {}
  return AppModule;
}

describe('Testing an app whose AppModule uses a durable store', () => {
  let redisUrl: string;
  beforeAll(async () => {
    redisUrl = `redis://127.0.0.1:${await closedPort()}`;
  });

  it('the fixture would contact Redis: without an override, start-up fails', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule(redisUrl, 'forRoot')] }).compile();
    await expect(moduleRef.init()).rejects.toThrow(StoreUnavailableError);
    await moduleRef.close();
  });

  it.each(['forRoot', 'forRootAsync'] as const)(
    'overrideProvider(TASK_STORE) runs a %s app on the in-memory store',
    async (form) => {
      const store = new InMemoryTaskStore();
      const moduleRef = await Test.createTestingModule({ imports: [appModule(redisUrl, form)] })
        .overrideProvider(TASK_STORE)
        .useValue(store)
        .compile();
      const app = await moduleRef.init();
      expect(app.get(TASK_STORE)).toBe(store);
      const scheduler = app.get(TaskScheduler);
      const id = await scheduler.schedule('send', { to: 'ada@example.com' });
      await scheduler.whenIdle();
      expect(app.get(Outbox).sent).toEqual(['ada@example.com']);
      expect((await store.get(id))?.status).toBe('succeeded');
      await app.close();
    },
  );

  it('overrideProvider(TASK_QUEUE_OPTIONS) replaces the options, store included', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule(redisUrl, 'forRootAsync')] })
      .overrideProvider(TASK_QUEUE_OPTIONS)
      .useValue({ logLevel: false })
      .compile();
    const app = await moduleRef.init();
    expect(app.get(TASK_STORE)).toBeInstanceOf(InMemoryTaskStore);
    await app.get(TaskScheduler).schedule('send', { to: 'grace@example.com' });
    await app.get(TaskScheduler).whenIdle();
    expect(app.get(Outbox).sent).toEqual(['grace@example.com']);
    await app.close();
  });
});
