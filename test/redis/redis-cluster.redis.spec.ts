import { Cluster } from 'ioredis';
import { StoreUnavailableError, TaskQueue, TaskStatus, type ITaskStore } from '../../lib/index.js';
import { RedisTaskStore } from '../../lib/stores/redis/redis-task.store.js';
import { builtLibrary } from '../support/built-library.js';
import { eventually } from '../support/eventually.js';
import { describeIfReachable } from '../support/service-gate.js';
import { describeStoreConformance, newTask } from '../support/store-conformance.js';
import { describeSignalsBetweenStores } from '../support/store-signals-suite.js';
import { RETENTION } from '../support/store-spec-harness.js';
import { WorkerProcess } from '../support/worker-process.js';
import { keysOf } from './redis.store-target.js';
import { RedisClusterServer } from './redis-cluster.server.js';

/** The stores' logger: the tests provoke the errors and outages it would report. */
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

const describeCluster = await describeIfReachable('Redis Cluster', () => RedisClusterServer.probe());

describeCluster('RedisTaskStore on a Redis Cluster of 3 masters', () => {
  let cluster: RedisClusterServer;
  /** Cluster clients the tests made (closed after each), and the stores (closed first). */
  const clients: Cluster[] = [];
  const stores: ITaskStore[] = [];
  const queues: TaskQueue[] = [];
  const prefixes: string[] = [];

  const client = (options: Parameters<RedisClusterServer['client']>[0] = {}) => {
    const made = cluster.client(options);
    clients.push(made);
    return made;
  };
  /** A queue that only schedules, on its own Cluster client. */
  const producerOn = async (queuePrefix: string) => {
    const producer = new TaskQueue({
      store: new RedisTaskStore({ connection: client(), prefix: queuePrefix }),
      autoStart: false,
      logger: false,
    });
    producer.registerHandler('job', { execute: () => undefined });
    queues.push(producer);
    await producer.init();
    return producer;
  };
  const open = async (prefix: string, connection: Cluster = client()) => {
    const store = new RedisTaskStore({ connection, prefix });
    stores.push(store);
    await store.init({ retention: RETENTION, logger: quiet });
    return store;
  };
  const prefix = (label: string) => {
    const made = `ntq-cluster-${label}-${Date.now().toString(36)}-${prefixes.length}`;
    prefixes.push(made);
    return made;
  };

  /** Deletes a queue's keys, on whichever master holds its slot. */
  const dispose = async (queuePrefix: string) => {
    const admin = cluster.client();
    try {
      for (const node of admin.nodes('master')) {
        const keys = await node.keys(keysOf(queuePrefix));
        if (keys.length > 0) await node.unlink(...keys);
      }
    } finally {
      admin.disconnect();
    }
  };

  beforeAll(async () => {
    cluster = await RedisClusterServer.start();
  }, 20_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    for (const store of stores.splice(0)) await store.close?.();
    for (const made of clients.splice(0)) await made.quit().catch(() => made.disconnect());
    for (const queuePrefix of prefixes.splice(0)) await dispose(queuePrefix);
  });

  describe.each([
    ['lazy (wait)', async () => client({ lazyConnect: true })],
    ['connecting', async () => client()],
    [
      'connecting, without an offline queue and with a keyPrefix',
      async () => client({ enableOfflineQueue: false, keyPrefix: 'app:' }),
    ],
    [
      'ready',
      async () => {
        const ready = client();
        await new Promise((resolve) => ready.once('ready', resolve));
        return ready;
      },
    ],
  ])('starts on a Cluster client that is %s', (_state, make) => {
    it('and runs tasks', async () => {
      const connection = await make();
      const store = await open(prefix('state'), connection);
      const task = newTask();
      expect(await store.add([task])).toEqual([true]);
      expect((await store.claim({ workerId: 'w', limit: 1 })).tasks.map((t) => t.id)).toEqual([task.id]);
      expect(connection.status).toBe('ready');
    });
  });

  it('names the startup nodes when the cluster cannot be reached', async () => {
    // Port 1: nothing listens there.
    const unreachable = new Cluster([{ host: '127.0.0.1', port: 1 }], { clusterRetryStrategy: () => null });
    unreachable.on('error', () => undefined);
    clients.push(unreachable);
    const store = new RedisTaskStore({ connection: unreachable, prefix: prefix('down') });
    const init = store.init({ retention: RETENTION, logger: quiet });
    await expect(init).rejects.toThrow(StoreUnavailableError);
    await expect(init).rejects.toThrow('Redis Cluster at 127.0.0.1:1');
    await expect(init).rejects.not.toThrow('6379');
  });

  it('runs three queues on three shards, a worker on each, scheduled from other clients', async () => {
    const shardPrefixes = await cluster.prefixesOnDifferentShards('shard', 3);
    prefixes.push(...shardPrefixes);
    const ran = new Map<string, string[]>();
    const workers = shardPrefixes.map((queuePrefix) => {
      const store = new RedisTaskStore({ connection: client(), prefix: queuePrefix, pollInterval: 60_000 });
      const worker = new TaskQueue({ store, logger: false });
      worker.registerHandler('job', {
        execute: (args: { n: number }) => void ran.set(queuePrefix, [...(ran.get(queuePrefix) ?? []), `${args.n}`]),
      });
      queues.push(worker);
      return worker;
    });
    await Promise.all(workers.map((worker) => worker.start()));
    const producers = await Promise.all(shardPrefixes.map(producerOn));
    // Each worker idles with nothing due: only the add's wake-up, through cluster pub/sub, starts its tasks.
    await Promise.all(
      producers.map((producer) =>
        producer.scheduleMany(Array.from({ length: 20 }, (_, n) => ({ handler: 'job', args: { n } }))),
      ),
    );
    for (const producer of producers) {
      await eventually(
        () => producer.counts(),
        (counts) => counts.succeeded === 20,
        5_000,
      );
    }
    for (const queuePrefix of shardPrefixes) expect(ran.get(queuePrefix)).toHaveLength(20);
  });

  it('aborts a task running on a worker when another client cancels it', async () => {
    const queuePrefix = prefix('cancel');
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const aborted: string[] = [];
    const worker = new TaskQueue({ store: new RedisTaskStore({ connection: client(), prefix: queuePrefix }) });
    worker.registerHandler('wait', {
      execute: (_args: unknown, ctx: { signal: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted.push((ctx.signal.reason as Error).name);
            reject(ctx.signal.reason as Error);
          });
          started();
        }),
    });
    const canceller = new TaskQueue({
      store: new RedisTaskStore({ connection: client(), prefix: queuePrefix }),
      autoStart: false,
      logger: false,
    });
    canceller.registerHandler('wait', { execute: () => undefined });
    queues.push(worker, canceller);
    await Promise.all([worker.start(), canceller.init()]);
    const id = await canceller.schedule('wait');
    await running;
    expect(await canceller.cancel(id)).toBe(true);
    await eventually(
      async () => aborted,
      (names) => names.length === 1,
    );
    expect(aborted).toEqual(['TaskCancelledError']);
    expect(await canceller.getTask(id)).toMatchObject({ status: TaskStatus.Cancelled });
  });

  describe('across processes', () => {
    const workers: WorkerProcess[] = [];
    const startWorker = (queuePrefix: string) =>
      WorkerProcess.start({
        lib: builtLibrary('redis-cluster').module('index.js'),
        store: {
          module: new URL('fixtures/redis-cluster-store.mjs', import.meta.url).href,
          exportName: 'RedisClusterTaskStore',
          // A minute: only wake-ups through pub/sub start tasks within the test.
          options: { nodes: cluster.nodes, prefix: queuePrefix, pollInterval: 60_000 },
        },
        concurrency: 5,
      });

    beforeAll(() => {
      builtLibrary('redis-cluster');
    }, 60_000);

    afterEach(async () => {
      for (const worker of workers.splice(0)) await worker.kill();
    });

    it('runs the queues of two shards in two worker processes, and cancels across them', async () => {
      const shardPrefixes = await cluster.prefixesOnDifferentShards('procs', 2);
      prefixes.push(...shardPrefixes);
      workers.push(...(await Promise.all(shardPrefixes.map(startWorker))));
      const producers = await Promise.all(shardPrefixes.map(producerOn));

      const ids = await Promise.all(
        producers.map((producer) =>
          producer.scheduleMany([
            { handler: 'job', args: { kind: 'until-aborted' }, options: { partitionKey: 'c' } },
            { handler: 'job', args: { kind: 'ran' }, options: { partitionKey: 'c' } },
            { handler: 'job', args: { kind: 'ran' } },
          ]),
        ),
      );
      for (const [i, worker] of workers.entries()) {
        const [waiting, behind, free] = ids[i]!;
        await worker.said('ran', free, 'the free task ran on its shard');
        await worker.waitFor(() => worker.started(waiting).length === 1, 'the waiting task started');
        expect(await producers[i]!.cancel(waiting!)).toBe(true);
        const aborted = () =>
          worker.messages.some(
            (m) => m.type === 'aborted' && m.taskId === waiting && m.reason === 'TaskCancelledError',
          );
        await worker.waitFor(aborted, 'the task was aborted by the cancel');
        await worker.said('ran', behind, 'the next task of the partition ran');
      }
      // Each worker ran only its own queue's tasks.
      for (const [i, worker] of workers.entries()) {
        const ran = worker.messages.filter((m) => m.type === 'ran').map((m) => m.taskId);
        expect(ran.sort()).toEqual([ids[i]![1], ids[i]![2]].sort());
      }
    }, 30_000);
  });

  describe('signals between stores on separate Cluster clients', () => {
    let signalsPrefix: string;
    beforeEach(() => {
      signalsPrefix = prefix('signals');
    });
    describeSignalsBetweenStores(() => open(signalsPrefix));
  });

  describe('conformance', () => {
    let shared: Cluster;
    beforeAll(() => {
      shared = cluster.client();
    });
    afterAll(async () => {
      await shared.quit();
    });
    describeStoreConformance('RedisTaskStore on a Cluster client', async ({ leaseTime }) => {
      const queuePrefix = prefix('conformance');
      return {
        store: new RedisTaskStore({ connection: shared, prefix: queuePrefix, leaseTime }),
        dispose: () => dispose(queuePrefix),
      };
    });
  });
});
