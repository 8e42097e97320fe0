import { jest } from '@jest/globals';
import type { DynamicModule, INestApplicationContext, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TaskQueueModule, TaskScheduler, type TaskEvent, type TaskQueueModuleOptions } from '../../lib/index.js';

export interface TestApp {
  app: INestApplicationContext;
  scheduler: TaskScheduler;
  /** Every event since start, in order. */
  events: TaskEvent[];
  /** Resolves with the first event (past or future) that matches. */
  nextEvent(match: (event: TaskEvent) => boolean): Promise<TaskEvent>;
  close(): Promise<void>;
}

/** Boots a Nest app with TaskQueueModule and the given handlers/providers, as a user's test would. */
export async function startTestApp(options: {
  queue?: TaskQueueModuleOptions;
  providers?: Provider[];
  imports?: (Type | DynamicModule)[];
}): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [TaskQueueModule.forRoot({ logger: 'error', ...options.queue }), ...(options.imports ?? [])],
    providers: options.providers ?? [],
  }).compile();
  const scheduler = moduleRef.get(TaskScheduler);
  const events: TaskEvent[] = [];
  const waiters: { match: (event: TaskEvent) => boolean; resolve: (event: TaskEvent) => void }[] = [];
  const subscription = scheduler.events$.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.match(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const app = await moduleRef.init();
  let closed: Promise<void> | undefined;
  return {
    app,
    scheduler,
    events,
    nextEvent: (match) => {
      const past = events.find(match);
      return past ? Promise.resolve(past) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    // Once: closeAfterEach may meet the app of an earlier test again.
    close: () =>
      (closed ??= (async () => {
        await app.close();
        subscription.unsubscribe();
      })()),
  };
}

/**
 * Closes the app a spec's tests start (what `current` returns then) after each test, then `reset`s what the test
 * changed: by default the fake timers.
 */
export function closeAfterEach(
  current: () => TestApp | undefined,
  reset: () => void = () => jest.useRealTimers(),
): void {
  afterEach(async () => {
    await current()?.close();
    reset();
  });
}

/** A promise with its resolve exposed: lets a test hold a handler mid-run and release it. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
