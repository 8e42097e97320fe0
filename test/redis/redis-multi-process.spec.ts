import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisTaskStore, TaskQueue, TaskStatus, type ScheduleItem } from '../../lib/index.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { eventually } from '../support/eventually.js';
import { describeIfReachable } from '../support/service-gate.js';
import { builtLibrary } from './built-library.js';
import { deletePrefix, probeRedis, REDIS_URL, uniquePrefix } from './redis-test-support.js';
import { WorkerProcess } from './worker-process.js';

const describeRedis = await describeIfReachable('Redis', probeRedis);

/**
 * Worker apps in child processes (each a Nest app on a RedisTaskStore) and a producer in this process, all on
 * one Redis prefix. Waits are on the workers' messages and the store's state, never on fixed sleeps.
 */
describeRedis('RedisTaskStore across processes', () => {
  let prefix: string;
  let producer: TaskQueue;
  let workers: WorkerProcess[] = [];
  const start = async (options: { concurrency?: number; leaseTime?: number } = {}) => {
    const worker = await WorkerProcess.start({ prefix, ...options });
    workers.push(worker);
    return worker;
  };
  const job = (args: Record<string, unknown>, options: ScheduleItem['options'] = {}): ScheduleItem => ({ handler: 'job', args, options });

  beforeAll(() => {
    builtLibrary();
  }, 60_000);

  beforeEach(async () => {
    prefix = uniquePrefix('procs');
    producer = new TaskQueue({ store: new RedisTaskStore({ connection: REDIS_URL, prefix }), autoStart: false, logger: false });
    producer.registerHandler('job', { execute: () => undefined });
    await producer.init();
  });

  afterEach(async () => {
    for (const worker of workers) await worker.kill();
    workers = [];
    await producer?.close();
    await deletePrefix(prefix);
  });

  it('runs 5,000 tasks over 50 partitions on 3 processes: each once, partitions in order and never overlapping', async () => {
    const [a, b, c] = await Promise.all([start(), start(), start()]);
    workers.push(a!, b!, c!);
    const items: ScheduleItem[] = [];
    for (let seq = 0; seq < 100; seq++) for (let p = 0; p < 50; p++) items.push(job({ kind: 'record', partition: p, seq }, { partitionKey: `p${p}` }));
    await producer.scheduleMany(items);
    await eventually(() => producer.counts(), (counts) => counts.succeeded === 5_000, 40_000, 50);

    const redis = new Redis(REDIS_URL);
    try {
      const key = (name: string) => `{${prefix}}:test:${name}`;
      expect(await redis.lrange(key('overlaps'), 0, -1)).toEqual([]);
      const runs = await redis.hgetall(key('runs'));
      expect(Object.keys(runs)).toHaveLength(5_000);
      expect(Object.values(runs).every((n) => n === '1')).toBe(true);
      const inOrder = Array.from({ length: 100 }, (_, seq) => String(seq));
      for (let p = 0; p < 50; p++) expect(await redis.lrange(key(`order:${p}`), 0, -1)).toEqual(inOrder);
      const perProcess = await redis.hgetall(key('pids'));
      expect(Object.keys(perProcess).sort()).toEqual([a!, b!, c!].map((w) => String(w.pid)).sort());
    } finally {
      await redis.quit();
    }
    expect(await producer.counts()).toEqual({ pending: 0, running: 0, succeeded: 5_000, failed: 0, cancelled: 0 });
  }, 60_000);

  it('finishes the tasks of a worker killed mid-task once their leases expire, in partition order', async () => {
    const doomed = await start({ concurrency: 5, leaseTime: 1_000 });
    const hang = { kind: 'hang-in', pid: doomed.pid };
    const ids = await producer.scheduleMany([job(hang), job(hang), job(hang), job(hang, { partitionKey: 'p' }), job(hang, { partitionKey: 'p' })]);
    await doomed.waitFor(() => doomed.started().length === 4, 'four tasks started');
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();

    const survivor = await start({ concurrency: 5, leaseTime: 1_000 });
    await eventually(() => producer.counts(), (counts) => counts.succeeded === 5, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    for (const [i, id] of ids.entries()) {
      expect(await producer.getTask(id)).toMatchObject({ status: TaskStatus.Succeeded, result: { pid: survivor.pid }, attempts: i === 4 ? 1 : 2 });
    }
    const order = survivor.started().map((m) => m.taskId);
    expect(order.indexOf(ids[3]!)).toBeLessThan(order.indexOf(ids[4]!));
  }, 30_000);

  it('refuses the late result of a paused worker whose task was taken over', async () => {
    const paused = await start({ concurrency: 1, leaseTime: 1_000 });
    const [id] = await producer.scheduleMany([job({ kind: 'sleep', ms: 400 })]);
    await paused.waitFor(() => paused.started(id).length === 1, 'the task started');
    paused.child.kill('SIGSTOP');

    const replacement = await start({ concurrency: 1, leaseTime: 1_000 });
    await replacement.waitFor(() => replacement.messages.some((m) => m.type === 'finished' && m.taskId === id), 'the replacement finished the task');
    await eventually(() => producer.getTask(id), (task) => task?.status === TaskStatus.Succeeded);

    paused.child.kill('SIGCONT');
    await paused.waitFor(() => paused.messages.some((m) => m.type === 'finished' && m.taskId === id), 'the paused worker finished late');
    await paused.waitFor(() => paused.output.includes(`Task ${id}: this worker's lease was lost`), 'its report was refused');
    expect(await producer.getTask(id)).toMatchObject({ status: TaskStatus.Succeeded, attempts: 2, result: { pid: replacement.pid } });
  }, 30_000);

  it('runs after a restart the tasks scheduled before the app closed, delayed ones when due', async () => {
    const first = await start();
    const now = await producer.scheduleMany(Array.from({ length: 10 }, () => job({ kind: 'ran' })));
    const later = await producer.scheduleMany(Array.from({ length: 10 }, () => job({ kind: 'ran' }, { delay: 2_000 })));
    const ran = (worker: WorkerProcess) => worker.messages.filter((m) => m.type === 'ran').map((m) => m.taskId);
    await first.waitFor(() => ran(first).length === 10, 'the due tasks ran');
    await first.close();
    expect(ran(first).sort()).toEqual([...now].sort());
    expect((await producer.counts()).pending).toBe(10);

    const second = await start();
    await second.waitFor(() => ran(second).length === 10, 'the delayed tasks ran');
    expect(ran(second).sort()).toEqual([...later].sort());
    await eventually(() => producer.counts(), (counts) => counts.succeeded === 20);
    for (const id of later) {
      const task = (await producer.getTask(id))!;
      expect(task.status).toBe(TaskStatus.Succeeded);
      expect(task.startedAt!.getTime()).toBeGreaterThanOrEqual(task.runAt.getTime());
    }
  }, 30_000);

  it('aborts a task running in another process when it is cancelled here, and frees its partition', async () => {
    const worker = await start();
    const [id, behind] = await producer.scheduleMany([job({ kind: 'until-aborted' }, { partitionKey: 'c' }), job({ kind: 'ran' }, { partitionKey: 'c' })]);
    await worker.waitFor(() => worker.started(id).length === 1, 'the task started');
    expect(await producer.cancel(id!)).toBe(true);
    await worker.waitFor(() => worker.messages.some((m) => m.type === 'aborted' && m.taskId === id && m.reason === 'TaskCancelledError'), 'the task was aborted');
    await worker.waitFor(() => worker.messages.some((m) => m.type === 'ran' && m.taskId === behind), 'the next task of the partition ran');
    expect(await producer.getTask(id!)).toMatchObject({ status: TaskStatus.Cancelled, attempts: 1 });
    await eventually(() => producer.getTask(behind!), (task) => task?.status === TaskStatus.Succeeded);
  }, 30_000);

  it('says which package to install when ioredis is missing', () => {
    // The built library, copied where no node_modules can be found: the store loads ioredis only in init().
    const dir = mkdtempSync(join(tmpdir(), 'ntq-no-ioredis-'));
    try {
      cpSync(join(fileURLToPath(builtLibrary()), '..'), dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      const script = `
        const { RedisTaskStore } = await import(${JSON.stringify(join(dir, 'stores/redis/redis-task.store.js'))});
        const store = new RedisTaskStore({ connection: { host: '127.0.0.1', port: 6379 } });
        await store.init({ retention: { maxCount: 1, maxAge: 1 }, logger: console }).then(
          () => console.log('started'),
          (error) => console.log(error.name + ': ' + error.message),
        );`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } }).toString();
      expect(output.trim()).toBe(`TaskQueueError: ${Messages.missingDriver('RedisTaskStore', 'ioredis')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
