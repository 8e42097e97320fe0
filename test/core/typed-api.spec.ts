// Type-level checks of the public generics: `npm run typecheck` (run by CI) fails if a line under an
// expect-error directive compiles, or an unmarked one does not. The runtime part checks the same calls work.
import { TaskHandler, type ITaskHandler, type TaskScheduler } from '../../lib/index.js';
import { startTestApp } from '../support/task-queue-app.js';

@TaskHandler('send-email')
class SendEmailTask implements ITaskHandler<{ email: string }, boolean> {
  execute(args: { email: string }) {
    return args.email.includes('@');
  }
}

@TaskHandler('tick')
class TickTask implements ITaskHandler {
  execute() {}
}

function typeChecks(scheduler: TaskScheduler): void {
  void scheduler.schedule(SendEmailTask, { email: 'a@b.c' }, { delay: 1 });
  // @ts-expect-error args are typed from the handler's execute()
  void scheduler.schedule(SendEmailTask, { mail: 'a@b.c' });
  // @ts-expect-error args are required when the handler needs them
  void scheduler.schedule(SendEmailTask);
  void scheduler.schedule(TickTask);
  void scheduler.schedule('send-email', { anything: true });
  // @ts-expect-error options are checked
  void scheduler.schedule('send-email', {}, { dealy: 5 });
}

it('schedules through the typed overloads', async () => {
  const app = await startTestApp({ providers: [SendEmailTask, TickTask] });
  const id = await app.scheduler.schedule(SendEmailTask, { email: 'a@b.c' });
  await app.scheduler.schedule(TickTask);
  await app.scheduler.whenIdle();
  expect((await app.scheduler.getTask(id))!.result).toBe(true);
  expect(typeof typeChecks).toBe('function');
  await app.close();
});
