import { jest } from '@jest/globals';
import { TaskQueue, TaskStatus, type ITaskStore, type TaskInfo } from '../../lib/index.js';
import { FlowMessages } from '../../lib/task-queue-flows.messages.js';
import { eventually } from './eventually.js';
import { useProcesses } from './multi-process-suite.js';
import { createStore, type BaseStoreOptions, type StoreTarget } from './store-target.js';

/** Flows (issue 12) across processes, for every durable store: part of describeMultiProcess. */
export function flowScenarios<S extends ITaskStore, O extends BaseStoreOptions>(target: StoreTarget<S, O>): void {
  describe('flows', () => {
    const processes = useProcesses(target);
    const { start, job } = processes;

    it('fans out 1 -> 100 -> fans in on 3 workers, one killed mid-run: every task succeeds, the merge after all parts', async () => {
      const workers = await Promise.all([0, 1, 2].map(() => start({ concurrency: 5, leaseTime: 1_000 })));
      const [doomed] = workers;
      const { producer } = processes;
      const parts = Array.from({ length: 100 }, (_, i) => `part:${i}`);
      await producer.scheduleMany([
        job({ kind: 'ran' }, { taskId: 'split' }),
        ...parts.map((id, i) => job({ kind: 'part', i, ms: 200 }, { taskId: id, dependsOn: ['split'] })),
        job({ kind: 'merge' }, { taskId: 'merge', dependsOn: parts }),
      ]);
      await doomed!.waitFor(() => doomed!.started().length >= 5, 'the doomed worker started parts');
      await doomed!.kill('SIGKILL');

      // From this producer-only process (autoStart: false), woken by the store's signal.
      const merge = await processes.producer.waitFor('merge', { timeout: 30_000 });
      expect(merge.status).toBe(TaskStatus.Succeeded);
      expect((merge.result as { parts: unknown[] }).parts).toEqual(parts.map((id, i) => [id, TaskStatus.Succeeded, i]));
      const all = await Promise.all(['split', ...parts].map((id) => producer.getTask(id)));
      for (const task of all) {
        expect(task!.status).toBe(TaskStatus.Succeeded);
        expect(task!.finishedAt!.getTime()).toBeLessThanOrEqual(merge.startedAt!.getTime());
      }
      expect(all.some((task) => task!.attempts === 2)).toBe(true);
      expect(merge.attempts).toBe(1);
      expect(await producer.counts()).toMatchObject({ waiting: 0, pending: 0, running: 0, succeeded: 102 });
    }, 60_000);

    it("cancels a flow's dependents from another process, and waitFor here sees each finish", async () => {
      const worker = await start();
      const { producer } = processes;
      const [first, second, third] = await producer.scheduleMany([
        job({ kind: 'until-aborted' }, { taskId: 'first' }),
        job({ kind: 'ran' }, { taskId: 'second', dependsOn: ['first'] }),
        job({ kind: 'ran' }, { taskId: 'third', dependsOn: ['second'], onDependencyFailure: 'run' }),
      ]);
      await worker.said('started', first, 'the first task started');
      const waits = [first!, second!, third!].map((id) => producer.waitFor(id, { timeout: 20_000 }));
      expect(await producer.cancel(first!)).toBe(true);
      const [a, b, c] = await Promise.all(waits);
      expect(a!.status).toBe(TaskStatus.Cancelled);
      expect(b!.status).toBe(TaskStatus.Cancelled);
      expect(c).toMatchObject({ status: TaskStatus.Succeeded, result: { pid: worker.pid } });
    }, 30_000);

    it('answers 10,000 waitFor calls of a producer-only process from the store announcements, on one subscription', async () => {
      // Its safety poll is ten minutes away: only the store's announcements can end these waits.
      const store: ITaskStore = createStore(target, processes.namespace, {
        pollInterval: 600_000,
      } as unknown as Partial<O>);
      const subscribe = jest.spyOn(store, 'subscribe');
      const watch = jest.spyOn(store, 'watch');
      const get = jest.spyOn(store, 'get');
      const getMany = jest.spyOn(store, 'getMany');
      const waiting = new TaskQueue({ store, autoStart: false, logger: false });
      // Ends what a failed test leaves waiting (close() does not), so that nothing rejects after it.
      const giveUp = new AbortController();
      let waits: Promise<unknown>[] = [];
      try {
        await waiting.init();
        const ids = Array.from({ length: 5_000 }, (_, i) => `waited:${i}`);
        await processes.producer.scheduleMany([
          job({ kind: 'ran' }, { taskId: 'gate', delay: 600_000 }),
          ...ids.map((taskId) => job({ kind: 'ran' }, { taskId, dependsOn: ['gate'] })),
        ]);
        // Two waits per task: 10,000 in all.
        waits = ids.flatMap((id) => [0, 1].map(() => waiting.waitFor(id, { timeout: 60_000, signal: giveUp.signal })));
        await eventually(
          async () => watch.mock.calls.length,
          (n) => n === 10_000,
          30_000,
        );
        await Promise.all(watch.mock.results.map((r) => r.value));
        // Another store (another process) cancels the gate: the 5,000 dependents end in that one store call.
        expect(await processes.producer.cancel('gate')).toBe(true);
        const infos = (await Promise.all(waits)) as TaskInfo[];
        expect(infos.map((info) => info.lastError?.message)).toEqual(
          ids.flatMap((id) => [0, 1].map(() => FlowMessages.dependencyFailed(id, 'gate', TaskStatus.Cancelled))),
        );
        expect(subscribe).toHaveBeenCalledTimes(1);
        // One read per finished task answers both its waiters; nothing polled.
        expect(get.mock.calls.length).toBeLessThanOrEqual(ids.length);
        expect(getMany).not.toHaveBeenCalled();
      } finally {
        giveUp.abort();
        await Promise.allSettled(waits);
        await waiting.close();
      }
    }, 90_000);

    it('shows the progress a task reports in another process', async () => {
      const worker = await start();
      const { producer } = processes;
      const [id] = await producer.scheduleMany([job({ kind: 'progress', value: { step: 'upload', percent: 40 } })]);
      await worker.said('progressed', id, 'the task reported progress');
      const seen = await eventually(
        () => producer.getTask(id!),
        (task) => task?.progress !== undefined,
      );
      expect(seen).toMatchObject({ status: TaskStatus.Running, progress: { step: 'upload', percent: 40 } });
      await producer.cancel(id!);
      expect(await producer.waitFor(id!, { timeout: 10_000 })).toMatchObject({ status: TaskStatus.Cancelled });
    }, 30_000);
  });
}
