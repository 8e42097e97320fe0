import { Logger } from '@nestjs/common';
import {
  StoreUnavailableError,
  type ITaskStore,
  type RetentionOptions,
  type StoreSignal,
  type TaskQueueLogger,
} from '../../lib/index.js';
import { newTask } from './store-conformance.js';
import { createStore, type BaseStoreOptions, type StoreTarget } from './store-target.js';

export const RETENTION: Required<RetentionOptions> = { maxCount: 10_000, maxAge: 60 * 60 * 1000 };

/** Resolves with the first signal a store emits that matches. */
export function nextSignal(store: ITaskStore, accept: (signal: StoreSignal) => boolean): Promise<StoreSignal> {
  return new Promise((resolve) => {
    const unsubscribe = store.subscribe((signal) => {
      if (!accept(signal)) return;
      unsubscribe();
      resolve(signal);
    });
  });
}

export interface StoreSpecHarness<S extends ITaskStore, O> {
  /** The test's own namespace (a Redis prefix, a PostgreSQL schema), fresh for each test. */
  readonly namespace: string;
  /** The stores opened in this test (closed after it). */
  readonly opened: S[];
  /** The logger the stores get (tests spy on it). */
  readonly logger: Logger;
  /** Opens (inits) a store on the test's namespace; closed after the test, and the namespace deleted. */
  open(options?: Partial<O>, retention?: Partial<RetentionOptions>, log?: TaskQueueLogger): Promise<S>;
  /** Checks that a store whose server is unreachable refuses to start, quickly and saying why, then refuses work. */
  expectRefusedStart(store: ITaskStore, why: RegExp): Promise<void>;
}

/** The set-up of a durable store's own spec: call it inside the spec's describe. */
export function useStoreSpecHarness<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
  label: string,
): StoreSpecHarness<S, O> {
  let namespace = '';
  const opened: S[] = [];
  const logger = new Logger(`${target.Store.name}Spec`);

  beforeEach(() => {
    namespace = target.uniqueNamespace(label);
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close?.();
    await target.dispose(namespace);
  });

  return {
    get namespace() {
      return namespace;
    },
    opened,
    logger,
    async open(options = {}, retention = {}, log = logger) {
      const store = createStore(target, namespace, options);
      opened.push(store);
      await store.init!({ retention: { ...RETENTION, ...retention }, logger: log });
      return store;
    },
    async expectRefusedStart(store, why) {
      const started = Date.now();
      const init = store.init!({ retention: RETENTION, logger });
      await expect(init).rejects.toThrow(StoreUnavailableError);
      await expect(init).rejects.toThrow(why);
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(store.add([newTask()])).rejects.toThrow(StoreUnavailableError);
    },
  };
}
