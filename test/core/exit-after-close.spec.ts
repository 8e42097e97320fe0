import { InMemoryTaskStore } from '../../lib/index.js';
import { InMemoryMessages } from '../../lib/stores/in-memory/in-memory.messages.js';
import { builtLibrary } from '../support/built-library.js';
import { expectExitAfterIdle } from '../support/exit-after-idle.js';
import { WorkerProcess } from '../support/worker-process.js';

// The in-memory side of the multi-process suite's "ends the process soon after the app closes" (issue 15): the
// same worker app, on a store of its own, with a delayed task added before it starts.
it('ends the process soon after the app closes while a delayed task is pending (in-memory store)', async () => {
  const library = builtLibrary('in-memory');
  const store = library.module('stores/in-memory/in-memory-task.store.js');
  const worker = await WorkerProcess.start({
    lib: library.module('index.js'),
    store: { module: store, exportName: InMemoryTaskStore.name, options: {} },
    concurrency: 10,
    seedDelayMs: 60_000,
    closeOnceStarted: true,
  });
  expect(await worker.exitWithin(5_000)).toEqual({ code: 0, signal: null });
  expect(worker.messages.map((m) => m.type)).toEqual(['ready', 'closed']);
  // It closed with the task still pending: the store said it drops it.
  expect(worker.output).toContain(InMemoryMessages.droppingPending(1));
}, 60_000);

// A script on the engine (issue 14): schedules, awaits whenIdle(), closes, never calls process.exit. The Redis and
// PostgreSQL sides are test/redis/exit-after-idle.redis.spec.ts and test/postgres/exit-after-idle.postgres.spec.ts.
const inMemory = {
  label: 'in-memory',
  build: 'in-memory',
  module: 'stores/in-memory/in-memory-task.store.js',
  exportName: InMemoryTaskStore.name,
  options: {},
};

it('ends a script by itself after whenIdle() and close(), without process.exit (in-memory store)', async () => {
  await expectExitAfterIdle(inMemory);
}, 60_000);

it('ends a script by itself when close() is called while start() is on its way (in-memory store)', async () => {
  await expectExitAfterIdle(inMemory, 'close-during-start');
}, 60_000);
