import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TaskHandler, TaskQueueModule, TaskScheduler, type ITaskHandler, type TaskContext } from '../../lib/index.js';

@Injectable()
class Mailer {
  sent: string[] = [];
}
@TaskHandler()
class SendEmailTask implements ITaskHandler<{ email: string }> {
  constructor(private readonly mailer: Mailer) {}
  async execute(args: { email: string }, ctx: TaskContext) {
    this.mailer.sent.push(`${args.email}#${ctx.attempt}`);
    return 'ok';
  }
}
@Module({ imports: [TaskQueueModule.forRoot({ concurrency: 2 })], providers: [Mailer, SendEmailTask] })
class AppModule {}

it('runs', async () => {
  const ref = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await ref.init();
  const s = app.get(TaskScheduler);
  const id = await s.schedule(SendEmailTask, { email: 'a@b' });
  await s.whenIdle();
  expect(app.get(Mailer).sent).toEqual(['a@b#1']);
  expect(await s.getTask(id)).toMatchObject({ status: 'succeeded', result: 'ok' });
  await app.close();
});
