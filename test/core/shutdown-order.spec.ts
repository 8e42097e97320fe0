import { jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import type { BeforeApplicationShutdown, DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { filter, firstValueFrom } from 'rxjs';
import { TaskHandler, TaskQueue, TaskQueueModule, TaskScheduler } from '../../lib/index.js';
import type { ITaskHandler, TaskEventType } from '../../lib/index.js';
import { gate } from '../support/task-queue-app.js';

/**
 * Why the drain runs in onModuleDestroy: app.close() calls every module's onModuleDestroy, then every
 * beforeApplicationShutdown, then every onApplicationShutdown, each phase from the root module down, and global
 * modules (TaskQueueModule by default) last. Draining in the first phase lets running tasks finish before any
 * module releases its connections in the two later ones, whatever its depth.
 */
type TeardownHook = 'beforeApplicationShutdown' | 'onApplicationShutdown';

/** What happened, in order: the drain's start, the handler's use of the connections, their teardown. */
const log: string[] = [];

/** A stand-in for a driver's pool: works until its module's teardown hook closes it. */
abstract class Connection implements BeforeApplicationShutdown, OnApplicationShutdown {
  private open = true;
  constructor(
    readonly name: string,
    private readonly closesIn: TeardownHook,
  ) {}

  query(): string {
    if (!this.open) throw new Error(`${this.name} is closed`);
    return this.name;
  }

  beforeApplicationShutdown(): void {
    if (this.closesIn === 'beforeApplicationShutdown') this.close();
  }

  onApplicationShutdown(): void {
    if (this.closesIn === 'onApplicationShutdown') this.close();
  }

  private close(): void {
    this.open = false;
    log.push(`${this.name} closed`);
  }
}
class CachePool extends Connection {}
class DatabasePool extends Connection {}

/** Imported by DatabaseModule only: one level deeper than TaskQueueModule. */
@Module({})
class CacheModule {
  static register(closesIn: TeardownHook): DynamicModule {
    const providers = [{ provide: CachePool, useValue: new CachePool('cache', closesIn) }];
    return { module: CacheModule, providers, exports: [CachePool] };
  }
}

/** Imported by the root module beside TaskQueueModule; passes the cache on. */
@Module({})
class DatabaseModule {
  static register(closesIn: TeardownHook): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [CacheModule.register(closesIn)],
      providers: [{ provide: DatabasePool, useValue: new DatabasePool('database', closesIn) }],
      exports: [DatabasePool, CacheModule],
    };
  }
}

const drainBegun = { current: gate() };

@TaskHandler('report')
class ReportTask implements ITaskHandler {
  constructor(
    private readonly database: DatabasePool,
    private readonly cache: CachePool,
  ) {}

  async execute(): Promise<void> {
    await drainBegun.current.promise;
    log.push(`handler used ${this.database.query()} and ${this.cache.query()}`);
  }
}

let app: INestApplicationContext | undefined;
beforeEach(() => {
  log.length = 0;
  drainBegun.current = gate();
  // The drain is TaskQueue.stop(): the task goes on only once it has begun, so it runs during the drain.
  const stop = TaskQueue.prototype.stop;
  jest.spyOn(TaskQueue.prototype, 'stop').mockImplementation(function (this: TaskQueue) {
    if (!log.includes('drain begins')) log.push('drain begins');
    drainBegun.current.open();
    return stop.call(this);
  });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  jest.restoreAllMocks();
});

describe.each([true, false])('with TaskQueueModule global: %s', (isGlobal) => {
  it.each<TeardownHook>(['beforeApplicationShutdown', 'onApplicationShutdown'])(
    'a running task still uses a sibling and a deeper module torn down in %s, while app.close() drains it',
    async (closesIn) => {
      const moduleRef = await Test.createTestingModule({
        imports: [TaskQueueModule.forRoot({ isGlobal, logger: 'error' }), DatabaseModule.register(closesIn)],
        providers: [ReportTask],
      }).compile();
      const events: TaskEventType[] = [];
      moduleRef.get(TaskScheduler).events$.subscribe((event) => events.push(event.type));
      const nest = (app = await moduleRef.init());
      const started = firstValueFrom(nest.get(TaskScheduler).events$.pipe(filter((e) => e.type === 'started')));
      await nest.get(TaskScheduler).schedule(ReportTask);
      await started;
      app = undefined;
      await nest.close();

      expect(events).toEqual(['scheduled', 'started', 'succeeded']);
      expect(log.slice(0, 2)).toEqual(['drain begins', 'handler used database and cache']);
      expect(log.slice(2).sort()).toEqual(['cache closed', 'database closed']);
    },
  );
});
