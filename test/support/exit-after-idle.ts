import { resolve } from 'node:path';
import type { ITaskStore } from '../../lib/index.js';
import { builtLibrary } from './built-library.js';
import { describeIfUp, type BaseStoreOptions, type StoreTarget } from './store-target.js';
import { WorkerProcess } from './worker-process.js';

const SCRIPT = resolve(import.meta.dirname, 'fixtures/idle-then-close-queue.mjs');

/** Generous: the script ends in well under a second; only a handle left open (or a loaded machine) takes longer. */
const EXIT_BOUND_MS = 10_000;

/** A store as the child process builds it from the compiled library: its module (a path in lib/), class, options. */
export interface ChildStore {
  /** As failure messages name it ("Redis"). */
  label: string;
  /** The build folder's name (builtLibrary), one per store as the other multi-process suites use. */
  build: string;
  module: string;
  exportName: string;
  options: object;
}

/** What the script does before it stops calling anything: the common path, or close() racing start(). */
export type ExitScenario = 'idle-then-close' | 'close-during-start';

/**
 * Runs fixtures/idle-then-close-queue.mjs on the store: a TaskQueue schedules, awaits whenIdle(), closes (or closes
 * while start() still connects), and does not call process.exit. Passes if the process ends by itself with code 0,
 * after doing the work; else kills it and fails naming the store (with the handles the child saw still open, if it
 * lived long enough to print them).
 */
export async function expectExitAfterIdle(
  store: ChildStore,
  scenario: ExitScenario = 'idle-then-close',
): Promise<void> {
  const library = builtLibrary(store.build);
  const child = await WorkerProcess.start({
    app: SCRIPT,
    lib: library.module('index.js'),
    store: { module: library.module(store.module), exportName: store.exportName, options: store.options },
    concurrency: 10,
    closeDuringStart: scenario === 'close-during-start',
  });
  const exit = await child.exitWithin(EXIT_BOUND_MS);
  if (exit === undefined) {
    const seen = child.messages.map((m) => m.type).join(', ');
    throw new Error(
      `The ${store.label} store's process (${scenario}) did not end by itself within ${EXIT_BOUND_MS} ms of ` +
        `starting (messages: ${seen}); killed it. Output:\n${child.output}`,
    );
  }
  if (exit.code !== 0) {
    const status = exit.signal ?? `code ${exit.code}`;
    throw new Error(`The ${store.label} store's process ended with ${status}, not 0. Output:\n${child.output}`);
  }
  if (scenario === 'close-during-start') {
    expect(child.messages.map((m) => m.type)).toEqual(['ready', 'closed']);
    return;
  }
  expect(child.messages.map((m) => m.type)).toEqual(['ready', 'idle', 'closed']);
  // It did the work before closing: five ran, the delayed one waits (still in a durable store; dropped in memory).
  expect(child.messages[1]!.counts).toMatchObject({ running: 0, succeeded: 5, pending: 1 });
}

/** The exit test for a durable store, on a namespace of its own; skipped (or an error in CI) when its server is down. */
export async function describeExitAfterIdle<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
): Promise<void> {
  const describeStore = await describeIfUp(target);
  describeStore(`A script on ${target.Store.name}`, () => {
    let namespace: string;
    beforeAll(() => {
      builtLibrary(target.id);
    }, 60_000);
    beforeEach(() => {
      namespace = target.uniqueNamespace('exit');
    });
    afterEach(() => target.dispose(namespace));

    const store = (): ChildStore => ({
      label: target.service,
      build: target.id,
      module: target.module,
      exportName: target.Store.name,
      options: target.options(namespace),
    });

    it('ends by itself after whenIdle() and close(), without process.exit', async () => {
      await expectExitAfterIdle(store());
    }, 30_000);

    // A shutdown signal while the app still connects: close() waits for the connection, which it then closes, and
    // the worker never starts (before the fix close() returned at once and start() connected afterwards: no exit).
    it('ends by itself when close() is called while start() still connects', async () => {
      await expectExitAfterIdle(store(), 'close-during-start');
    }, 30_000);
  });
}
