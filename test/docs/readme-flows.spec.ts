import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TaskHandler, TaskQueueModule, TaskScheduler, type ITaskHandler, type TaskContext } from 'nest-task-queue';

@TaskHandler('split')
class SplitTask implements ITaskHandler<{ text: string }, number> {
  execute({ text }: { text: string }): number {
    return text.split(' ').length; // a real one would prepare the parts' input
  }
}

@TaskHandler('part')
class PartTask implements ITaskHandler<{ word: string }, number> {
  async execute({ word }: { word: string }, ctx: TaskContext): Promise<number> {
    await ctx.progress(50); // kept as the task's `progress`, and a `progress` event
    return word.length;
  }
}

@TaskHandler('merge')
class MergeTask implements ITaskHandler<undefined, number> {
  execute(_args: undefined, ctx: TaskContext): number {
    // Its dependencies in dependsOn order: { id, handler, status, result }
    return ctx.dependencies.reduce((sum, part) => sum + (part.result as number), 0);
  }
}

@Module({ imports: [TaskQueueModule.forRoot()], providers: [SplitTask, PartTask, MergeTask] })
class AppModule {}

it('runs a fan-out / fan-in flow and awaits its result', async () => {
  const app = await (await Test.createTestingModule({ imports: [AppModule] }).compile()).init();
  const scheduler = app.get(TaskScheduler);
  const words = ['fan', 'out', 'and', 'in'];
  const parts = words.map((_, i) => `part:42:${i}`);
  // One atomic call: items name each other by the taskIds you choose.
  await scheduler.scheduleMany([
    { handler: SplitTask, args: { text: words.join(' ') }, options: { taskId: 'split:42' } },
    ...words.map((word, i) => ({
      handler: PartTask,
      args: { word },
      options: { taskId: parts[i], dependsOn: ['split:42'] },
    })),
    { handler: MergeTask, options: { taskId: 'merge:42', dependsOn: parts } },
  ]);

  const merged = await scheduler.waitFor('merge:42', { timeout: 10_000 }); // from any process
  expect(merged).toMatchObject({ status: 'succeeded', result: 11, dependsOn: parts });
  await app.close();
});
