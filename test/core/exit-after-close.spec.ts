import { InMemoryTaskStore } from '../../lib/index.js';
import { InMemoryMessages } from '../../lib/stores/in-memory/in-memory.messages.js';
import { builtLibrary } from '../support/built-library.js';
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
