import type { ITaskStore } from '../../lib/index.js';
import { describeIfReachable } from './service-gate.js';

/** What the multi-process tests find in a store's run record: overlaps seen, and every run in partition order. */
export interface RunRecord {
  overlaps: unknown[];
  runs: { partition: number; seq: number; pid: number }[];
}

/**
 * Where the multi-process tests record the runs of their `record` tasks: on the store's own server, so the
 * overlap check is atomic across processes. The child side is `module` (see fixtures/worker-app.mjs).
 */
export interface RunRecorder {
  /** File URL of an ES module exporting `openRecorder({ url, namespace, concurrency })`. */
  module: string;
  /** Makes the place to record in (after the store made the namespace). */
  prepare(namespace: string): Promise<void>;
  read(namespace: string): Promise<RunRecord>;
}

/** What every store's options have. */
export interface BaseStoreOptions {
  leaseTime?: number;
}

/**
 * One durable store as the shared suites see it: how to open one on a namespace of its own (a Redis prefix, a
 * PostgreSQL schema), how to clean up, and whether its server is up.
 */
export interface StoreTarget<S extends ITaskStore = ITaskStore, O extends BaseStoreOptions = BaseStoreOptions> {
  /** The server, as skip messages name it ("Redis"). */
  service: string;
  /** Short name for namespaces and build folders ("redis"). */
  id: string;
  /** The store's URL on the test server. */
  url: string;
  Store: new (options: O) => S;
  /** The store's module, relative to lib/ (also loaded by child processes from the built library). */
  module: string;
  /** Throws unless the server answers. */
  probe(): Promise<void>;
  /** A namespace no other test uses. */
  uniqueNamespace(label?: string): string;
  /** The store's options for a namespace (JSON, so a child process can use them too). */
  options(namespace: string): O;
  /** Deletes everything in a namespace. */
  dispose(namespace: string): Promise<void>;
  recorder: RunRecorder;
  /**
   * What only a claim of the store sends on the wire in this namespace, for tests that answer a claim late through
   * a proxy. Default: the worker id's host prefix (which the worker's presence heartbeat also sends, where the
   * store sends it in the clear before its first claim).
   */
  claimMarker?(namespace: string): string;
}

/** A store of the target on a namespace, with options over the defaults. */
export function createStore<S extends ITaskStore, O extends BaseStoreOptions>(
  target: StoreTarget<S, O>,
  namespace: string,
  overrides: Partial<O> = {},
): S {
  return new target.Store({ ...target.options(namespace), ...overrides });
}

/**
 * `describe` where the target's server is up; otherwise a skip with a clear line, or an error when
 * TASK_QUEUE_REQUIRE_SERVICES=1 (see service-gate.ts).
 */
export function describeIfUp(target: Pick<StoreTarget, 'service' | 'probe'>): Promise<jest.Describe> {
  return describeIfReachable(target.service, () => target.probe());
}
