import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  NonRetryableError,
  TaskArgsNotSerializableError,
  TaskHandler,
  TaskQueueError,
  TaskStatus,
  TaskWaitTimeoutError,
  UnknownTaskError,
  type ITaskHandler,
  type TaskContext,
  type TaskDependency,
} from '../../lib/index.js';
import { MAX_WATCHES_IN_FLIGHT } from '../../lib/engine/flows/task-waiters.js';
import { FlowMessages } from '../../lib/task-queue-flows.messages.js';
import { closeAfterEach, gate, startTestApp, type TestApp } from '../support/task-queue-app.js';

type StepArgs =
  | { kind: 'ok'; value?: unknown }
  | { kind: 'fail' }
  | { kind: 'merge' }
  | { kind: 'hold' }
  | { kind: 'progress'; values: unknown[] }
  | { kind: 'progress-date' };

@Injectable()
class Runs {
  readonly order: string[] = [];
  readonly dependencies = new Map<string, readonly TaskDependency[]>();
  held = gate();
}

@TaskHandler('step')
class StepTask implements ITaskHandler<StepArgs> {
  constructor(private readonly runs: Runs) {}
  async execute(args: StepArgs, ctx: TaskContext): Promise<unknown> {
    this.runs.order.push(ctx.taskId);
    this.runs.dependencies.set(ctx.taskId, ctx.dependencies);
    switch (args.kind) {
      case 'fail':
        throw new NonRetryableError('step failed');
      case 'merge':
        return ctx.dependencies.map((d) => d.result);
      case 'hold':
        await this.runs.held.promise;
        return 'held';
      case 'progress':
        for (const value of args.values) await ctx.progress(value);
        return 'reported';
      case 'progress-date':
        await ctx.progress(new Date());
        return 'reported';
      default:
        return args.value ?? ctx.taskId;
    }
  }
}

let app: TestApp | undefined;
closeAfterEach(() => app);
const start = (queue = {}) => startTestApp({ queue, providers: [Runs, StepTask] }).then((started) => (app = started));
const runs = () => app!.app.get(Runs);
const ok = (value?: unknown): StepArgs => ({ kind: 'ok', value });

describe('flows: dependsOn', () => {
  it('runs a chain A -> B -> C in order, the dependent waiting until its dependency succeeded', async () => {
    const { scheduler } = await start();
    const a = await scheduler.schedule(StepTask, { kind: 'hold' });
    const b = await scheduler.schedule(StepTask, ok(), { dependsOn: [a] });
    const c = await scheduler.schedule(StepTask, ok(), { dependsOn: [b] });
    expect(await scheduler.getTask(b)).toMatchObject({ status: TaskStatus.Waiting, dependsOn: [a], waitingFor: [a] });
    expect(await scheduler.counts()).toMatchObject({ waiting: 2, running: 1 });
    const waiting = await scheduler.listTasks({ status: TaskStatus.Waiting });
    expect(waiting.map((t) => [t.id, t.dependsOn, t.waitingFor])).toEqual([
      [c, [b], [b]],
      [b, [a], [a]],
    ]);
    runs().held.open();
    expect(await scheduler.waitFor(c)).toMatchObject({ status: TaskStatus.Succeeded });
    expect(runs().order).toEqual([a, b, c]);
    expect(runs().dependencies.get(c)).toEqual([{ id: b, handler: 'step', status: TaskStatus.Succeeded, result: b }]);
  });

  it('whenIdle() waits for a whole chain: each dependent runs as soon as its dependency succeeded', async () => {
    const { scheduler } = await start();
    const ids = ['one', 'two', 'three', 'four'];
    await scheduler.scheduleMany(
      ids.map((taskId, i) => ({ handler: StepTask, args: ok(), options: { taskId, dependsOn: ids.slice(i - 1, i) } })),
    );
    await scheduler.whenIdle();
    expect(runs().order).toEqual(ids);
    expect(await scheduler.counts()).toMatchObject({ waiting: 0, succeeded: 4 });
  });

  it('fans out 1 -> 100 -> fans in 1 in one scheduleMany, the merge getting every result in dependsOn order', async () => {
    const { scheduler } = await start({ concurrency: 7 });
    const parts = Array.from({ length: 100 }, (_, i) => `part:42:${i}`);
    await scheduler.scheduleMany([
      { handler: StepTask, args: ok('split'), options: { taskId: 'split:42' } },
      ...parts.map((id, i) => ({ handler: StepTask, args: ok(i), options: { taskId: id, dependsOn: ['split:42'] } })),
      { handler: StepTask, args: { kind: 'merge' }, options: { taskId: 'merge:42', dependsOn: parts } },
    ]);
    const merged = await scheduler.waitFor('merge:42', { timeout: 10_000 });
    expect(merged).toMatchObject({ status: TaskStatus.Succeeded, result: parts.map((_, i) => i) });
    const order = runs().order;
    expect(order[0]).toBe('split:42');
    expect(order.at(-1)).toBe('merge:42');
    expect(order).toHaveLength(102);
  });

  it("cancels dependents of a failed dependency transitively ('cancel'), naming it, and runs 'run' ones", async () => {
    const { scheduler } = await start();
    const [failing, b, c, tolerant] = await scheduler.scheduleMany([
      { handler: StepTask, args: { kind: 'fail' }, options: { taskId: 'failing' } },
      { handler: StepTask, args: ok(), options: { taskId: 'b', dependsOn: ['failing'] } },
      { handler: StepTask, args: ok(), options: { taskId: 'c', dependsOn: ['b'] } },
      {
        handler: StepTask,
        args: ok(),
        options: { taskId: 'tolerant', dependsOn: ['failing'], onDependencyFailure: 'run' },
      },
      // Transitively: 'run' behind a cancelled dependent runs; 'cancel' behind a 'run' one that succeeded runs.
      { handler: StepTask, args: ok(), options: { taskId: 'c-run', dependsOn: ['b'], onDependencyFailure: 'run' } },
      { handler: StepTask, args: ok(), options: { taskId: 'after-tolerant', dependsOn: ['tolerant'] } },
    ]);
    expect(await scheduler.waitFor('after-tolerant')).toMatchObject({ status: TaskStatus.Succeeded });
    expect(await scheduler.waitFor('c-run')).toMatchObject({ status: TaskStatus.Succeeded });
    expect(runs().dependencies.get('c-run')).toEqual([{ id: 'b', handler: 'step', status: TaskStatus.Cancelled }]);
    expect(await scheduler.waitFor(tolerant!)).toMatchObject({ status: TaskStatus.Succeeded });
    expect(await scheduler.getTask(failing!)).toMatchObject({ status: TaskStatus.Failed });
    expect(await scheduler.getTask(b!)).toMatchObject({
      status: TaskStatus.Cancelled,
      lastError: { message: FlowMessages.dependencyFailed('b', 'failing', 'failed') },
    });
    expect(await scheduler.getTask(c!)).toMatchObject({
      status: TaskStatus.Cancelled,
      lastError: { message: FlowMessages.dependencyFailed('c', 'b', 'cancelled') },
    });
    expect(runs().order[0]).toBe('failing');
    expect(runs().order.slice(1).sort()).toEqual(['after-tolerant', 'c-run', 'tolerant']);
    expect(runs().order.indexOf('tolerant')).toBeLessThan(runs().order.indexOf('after-tolerant'));
    expect(runs().dependencies.get('tolerant')).toEqual([
      { id: 'failing', handler: 'step', status: TaskStatus.Failed },
    ]);
  });

  it("treats a cancelled dependency the same way: 'cancel' cancels transitively, 'run' runs", async () => {
    const { scheduler } = await start();
    const dep = await scheduler.schedule(StepTask, ok(), { delay: 60_000 });
    const b = await scheduler.schedule(StepTask, ok(), { dependsOn: [dep] });
    const c = await scheduler.schedule(StepTask, ok(), { dependsOn: [b] });
    const tolerant = await scheduler.schedule(StepTask, ok(), { dependsOn: [dep], onDependencyFailure: 'run' });
    // Cancelling a waiting task releases nothing else.
    const dropped = await scheduler.schedule(StepTask, ok(), { dependsOn: [dep] });
    expect(await scheduler.cancel(dropped)).toBe(true);
    expect(await scheduler.counts()).toMatchObject({ waiting: 3, pending: 1, cancelled: 1 });
    expect(await scheduler.cancel(dep)).toBe(true);
    expect(await scheduler.getTask(b)).toMatchObject({ status: TaskStatus.Cancelled });
    expect(await scheduler.getTask(c)).toMatchObject({ status: TaskStatus.Cancelled });
    expect(await scheduler.waitFor(tolerant)).toMatchObject({ status: TaskStatus.Succeeded });
    expect(runs().dependencies.get(tolerant)).toEqual([{ id: dep, handler: 'step', status: TaskStatus.Cancelled }]);
  });

  it('counts a dependency that already succeeded at once; an unknown one rejects with UnknownTaskError, adding nothing', async () => {
    const { scheduler } = await start();
    const done = await scheduler.schedule(StepTask, ok('first'));
    await scheduler.waitFor(done);
    const after = await scheduler.schedule(StepTask, { kind: 'merge' }, { dependsOn: [done] });
    expect(await scheduler.waitFor(after)).toMatchObject({ status: TaskStatus.Succeeded, result: ['first'] });

    const items = [
      { handler: StepTask, args: ok(), options: { taskId: 'fine' } },
      { handler: StepTask, args: ok(), options: { taskId: 'orphan', dependsOn: ['nobody'] } },
    ];
    await expect(scheduler.scheduleMany(items)).rejects.toThrow(UnknownTaskError);
    await expect(scheduler.schedule(StepTask, ok(), { dependsOn: ['nobody'] })).rejects.toThrow(
      FlowMessages.unknownDependency('nobody'),
    );
    expect(await scheduler.getTask('fine')).toBeUndefined();
    expect(await scheduler.getTask('orphan')).toBeUndefined();
  });

  it('rejects a cycle in a scheduleMany batch with InvalidTaskOptionsError, adding nothing', async () => {
    const { scheduler } = await start();
    const items = [
      { handler: StepTask, args: ok(), options: { taskId: 'x' } },
      { handler: StepTask, args: ok(), options: { taskId: 'a', dependsOn: ['x', 'c'] } },
      { handler: StepTask, args: ok(), options: { taskId: 'b', dependsOn: ['a'] } },
      { handler: StepTask, args: ok(), options: { taskId: 'c', dependsOn: ['b'] } },
    ];
    await expect(scheduler.scheduleMany(items)).rejects.toThrow(FlowMessages.cycle(['a', 'c', 'b', 'a']));
    await expect(scheduler.scheduleMany(items)).rejects.toThrow(InvalidTaskOptionsError);
    expect(await scheduler.counts()).toMatchObject({ pending: 0, waiting: 0 });
  });

  it('keeps a finished dependency from retention while a dependent waits, for its ctx.dependencies', async () => {
    const { scheduler } = await start({ retention: { maxCount: 1 } });
    const dep = await scheduler.schedule(StepTask, ok('needed'));
    const blocker = await scheduler.schedule(StepTask, { kind: 'hold' });
    const merge = await scheduler.schedule(StepTask, { kind: 'merge' }, { dependsOn: [dep, blocker] });
    await scheduler.waitFor(dep);
    for (let i = 0; i < 3; i++) await scheduler.waitFor(await scheduler.schedule(StepTask, ok()));
    expect(await scheduler.getTask(dep)).toMatchObject({ status: TaskStatus.Succeeded, result: 'needed' });
    runs().held.open();
    expect(await scheduler.waitFor(merge)).toMatchObject({ result: ['needed', 'held'] });
  });

  it('refuses bad dependsOn and onDependencyFailure with typed errors', async () => {
    const { scheduler } = await start();
    const bad = async (options: object) =>
      expect(scheduler.schedule(StepTask, ok(), options as never)).rejects.toThrow(InvalidTaskOptionsError);
    await bad({ dependsOn: 'a' });
    await bad({ dependsOn: [''] });
    await bad({ dependsOn: [1] });
    await bad({ dependsOn: ['a\u0000'] });
    await bad({ onDependencyFailure: 'ignore' });
    await expect(scheduler.schedule(StepTask, ok(), { taskId: 'me', dependsOn: ['me'] })).rejects.toThrow(
      FlowMessages.selfDependency('me'),
    );
  });

  it('refuses dependsOn on a store that does not keep dependencies', async () => {
    const plain = new InMemoryTaskStore();
    Object.defineProperty(plain, 'supportsDependencies', { value: false });
    const { scheduler } = await start({ store: plain });
    await expect(scheduler.schedule(StepTask, ok(), { dependsOn: ['a'] })).rejects.toThrow(
      FlowMessages.dependenciesUnsupported(),
    );
  });
});

describe('flows: waitFor', () => {
  it('resolves with a failed task too, at once for a finished one', async () => {
    const { scheduler } = await start();
    const id = await scheduler.schedule(StepTask, { kind: 'fail' });
    expect(await scheduler.waitFor(id)).toMatchObject({
      id,
      status: TaskStatus.Failed,
      lastError: { message: 'step failed' },
    });
    expect(await scheduler.waitFor(id, { timeout: 1 })).toMatchObject({ status: TaskStatus.Failed });
  });

  it('rejects with UnknownTaskError for an unknown id, and refuses a non-positive timeout', async () => {
    const { scheduler } = await start();
    await expect(scheduler.waitFor('nobody')).rejects.toThrow(UnknownTaskError);
    await expect(scheduler.waitFor('nobody', { timeout: 0 })).rejects.toThrow(InvalidTaskOptionsError);
    await expect(scheduler.waitFor('nobody', { timeout: -5 })).rejects.toThrow(InvalidTaskOptionsError);
    await expect(scheduler.waitFor('nobody', { timeout: Number.NaN })).rejects.toThrow(InvalidTaskOptionsError);
  });

  it('rejects with TaskWaitTimeoutError after the timeout, and with the reason on abort', async () => {
    jest.useFakeTimers();
    const { scheduler } = await start();
    const id = await scheduler.schedule(StepTask, ok(), { delay: 60_000 });
    const timedOut = scheduler.waitFor(id, { timeout: 5_000 });
    const expectation = expect(timedOut).rejects.toThrow(TaskWaitTimeoutError);
    await jest.advanceTimersByTimeAsync(5_000);
    await expectation;
    const controller = new AbortController();
    const aborted = scheduler.waitFor(id, { signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    await expect(aborted).rejects.toThrow('no longer needed');
    const already = AbortSignal.abort(new Error('aborted before'));
    await expect(scheduler.waitFor(id, { signal: already })).rejects.toThrow('aborted before');
    expect((await scheduler.getTask(id))!.status).toBe(TaskStatus.Pending);
  });

  it('when the app closes, a task the drain finishes answers its wait, and waits still on their way reject', async () => {
    const { scheduler, app: nest } = await start();
    const held = await scheduler.schedule(StepTask, { kind: 'hold' });
    const later = await scheduler.schedule(StepTask, ok(), { delay: 60_000 });
    await app!.nextEvent((e) => e.taskId === held && e.type === 'started');
    const heldWait = scheduler.waitFor(held);
    const laterWait = scheduler.waitFor(later);
    const laterRejects = expect(laterWait).rejects.toThrow(FlowMessages.closedWhileWaiting(later));
    const closing = app!.close();
    app = undefined;
    nest.get(Runs).held.open();
    await closing;
    expect(await heldWait).toMatchObject({ id: held, status: TaskStatus.Succeeded, result: 'held' });
    await laterRejects;
    await expect(laterWait).rejects.toBeInstanceOf(TaskQueueError);
  });

  it('serves many waiters of many tasks with one store subscription', async () => {
    const store = new InMemoryTaskStore();
    const subscribe = jest.spyOn(store, 'subscribe');
    const { scheduler } = await start({ store, autoStart: false });
    const ids = await scheduler.scheduleMany(Array.from({ length: 200 }, () => ({ handler: StepTask, args: ok() })));
    const before = subscribe.mock.calls.length;
    const waits = ids.flatMap((id) => [scheduler.waitFor(id), scheduler.waitFor(id)]);
    for (const id of ids) await scheduler.cancel(id);
    const infos = await Promise.all(waits);
    expect(infos.every((info) => info.status === TaskStatus.Cancelled)).toBe(true);
    expect(subscribe.mock.calls.length - before).toBe(1);
  });

  it('has at most a few watch calls on their way at once, however many waits begin together', async () => {
    const store = new InMemoryTaskStore();
    const { scheduler } = await start({ store, autoStart: false });
    const ids = await scheduler.scheduleMany(Array.from({ length: 100 }, () => ({ handler: StepTask, args: ok() })));
    const watch = store.watch.bind(store);
    let inFlight = 0;
    let most = 0;
    jest.spyOn(store, 'watch').mockImplementation(async (id) => {
      most = Math.max(most, ++inFlight);
      // A round trip: the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return watch(id);
    });
    const waits = ids.map((id) => scheduler.waitFor(id));
    for (const id of ids) await scheduler.cancel(id);
    const infos = await Promise.all(waits);
    expect(infos.every((info) => info.status === TaskStatus.Cancelled)).toBe(true);
    expect(most).toBe(MAX_WATCHES_IN_FLIGHT);
  });
});

describe('flows: progress', () => {
  it('keeps the last value and emits progress events; refuses a value it cannot keep', async () => {
    const { scheduler, events } = await start({ store: new InMemoryTaskStore({ serialization: 'json' }) });
    const later = await scheduler.schedule(StepTask, ok(), { delay: 60_000 });
    expect((await scheduler.getTask(later))!.progress).toBeUndefined();
    const id = await scheduler.schedule(StepTask, { kind: 'progress', values: [10, 40, { step: 'upload' }] });
    expect(await scheduler.waitFor(id)).toMatchObject({ status: TaskStatus.Succeeded, progress: { step: 'upload' } });
    const progress = events.filter((e) => e.type === 'progress' && e.taskId === id).map((e) => e.progress);
    expect(progress).toEqual([10, 40, { step: 'upload' }]);

    const bad = await scheduler.schedule(StepTask, { kind: 'progress-date' });
    expect(await scheduler.waitFor(bad)).toMatchObject({
      status: TaskStatus.Failed,
      lastError: { name: TaskArgsNotSerializableError.name },
    });
    const outOfRange = await scheduler.schedule(StepTask, { kind: 'progress', values: [101] });
    expect(await scheduler.waitFor(outOfRange)).toMatchObject({ lastError: { name: InvalidTaskOptionsError.name } });
  });

  it('writes nothing more, warning once, from an attempt whose lease the store no longer honours', async () => {
    const store = new InMemoryTaskStore();
    // As a store answers once another worker took the task over (the store's own refusal is in the conformance suite).
    jest.spyOn(store, 'setProgress').mockResolvedValue(false);
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const { scheduler } = await start({ store, logger });
    const id = await scheduler.schedule(StepTask, { kind: 'progress', values: [10, 20, 30] });
    expect(await scheduler.waitFor(id)).toMatchObject({ status: TaskStatus.Succeeded, result: 'reported' });
    expect(logger.warn.mock.calls.filter(([m]) => m === FlowMessages.progressRefused(id))).toHaveLength(1);
    expect(store.setProgress).toHaveBeenCalledTimes(1);
  });

  it('writes at most a few values a second per task, always the last', async () => {
    jest.useFakeTimers();
    const store = new InMemoryTaskStore();
    const setProgress = jest.spyOn(store, 'setProgress');
    const { scheduler } = await start({ store });
    const values = Array.from({ length: 50 }, (_, i) => i * 2);
    const id = await scheduler.schedule(StepTask, { kind: 'progress', values });
    await scheduler.whenIdle();
    expect(await scheduler.getTask(id)).toMatchObject({ status: TaskStatus.Succeeded, progress: 98 });
    expect(setProgress.mock.calls.map(([, value]) => value)).toEqual([0, 98]);
  });
});
