// Task contracts (issue 10): an API app schedules by contract without the handler; a worker app runs it. The
// type-level part: `npm run typecheck` fails if a line under an expect-error directive compiles.
import {
  defineTask,
  DuplicateTaskDefinitionError,
  InMemoryTaskStore,
  InvalidTaskOptionsError,
  TaskHandler,
  TaskStatus,
  UnknownTaskHandlerError,
  type ITaskHandler,
  type TaskArgs,
  type TaskResult,
  type TaskScheduler,
} from '../../lib/index.js';
import { DeploymentMessages } from '../../lib/engine/deployments/deployment.messages.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { startTestApp, type TestApp } from '../support/task-queue-app.js';

// contracts.ts of an app: no handler class, no dependency.
const SendEmail = defineTask<{ email: string }, { messageId: string }>('send-email', { maxRetries: 3, timeout: 5_000 });
const Ping = defineTask('ping');

@TaskHandler(SendEmail)
class SendEmailTask implements ITaskHandler<TaskArgs<typeof SendEmail>, TaskResult<typeof SendEmail>> {
  async execute(args: { email: string }) {
    return { messageId: `id-${args.email}` };
  }
}

@TaskHandler(Ping, { maxRetries: 1 })
class PingTask implements ITaskHandler {
  execute() {
    return 'pong';
  }
}

// A handler taking less than the contract gives (no args at all) fits it.
@TaskHandler(Ping)
class IgnoresArgsTask {
  execute() {}
}

// @ts-expect-error execute() does not take the contract's args
@TaskHandler(SendEmail)
class WrongArgsTask {
  execute(args: { mail: string }) {
    return { messageId: args.mail };
  }
}

// @ts-expect-error execute() does not return the contract's result
@TaskHandler(SendEmail)
class WrongResultTask {
  execute(args: { email: string }) {
    return args.email.length;
  }
}

// @ts-expect-error a class without execute() is not a handler
@TaskHandler(Ping)
class NotAHandler {}

function typeChecks(scheduler: TaskScheduler): void {
  void scheduler.schedule(SendEmail, { email: 'a@b.c' }, { delay: 1 });
  // @ts-expect-error args are typed from the contract
  void scheduler.schedule(SendEmail, { mail: 'a@b.c' });
  // @ts-expect-error args are required when the contract needs them
  void scheduler.schedule(SendEmail);
  // @ts-expect-error options are checked with a contract too
  void scheduler.schedule(SendEmail, { email: 'a@b.c' }, { dealy: 5 });
  void scheduler.schedule(Ping);
  void scheduler.scheduleMany([{ handler: SendEmail, args: { email: 'a@b.c' } }]);
  void scheduler.pause(SendEmail);
  const args: TaskArgs<typeof SendEmail> = { email: 'a@b.c' };
  // @ts-expect-error TaskResult is the contract's result type
  const result: TaskResult<typeof SendEmail> = { id: 'x' };
  void [args, result, IgnoresArgsTask, WrongArgsTask, WrongResultTask, NotAHandler];
}

describe('task contracts', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  const start = async (...args: Parameters<typeof startTestApp>) => {
    const app = await startTestApp(...args);
    apps.push(app);
    return app;
  };

  it('an API app schedules by contract without the handler; the worker app sharing the store runs it', async () => {
    const store = new InMemoryTaskStore();
    const api = await start({ queue: { store, autoStart: false } });
    const worker = await start({ queue: { store }, providers: [SendEmailTask] });
    const id = await api.scheduler.schedule(SendEmail, { email: 'a@b.c' });
    const done = await api.scheduler.waitFor(id);
    expect(done).toMatchObject({
      status: TaskStatus.Succeeded,
      result: { messageId: 'id-a@b.c' },
      handler: 'send-email',
    });
    // The contract's defaults are stored with the task, scheduled where no handler is.
    expect(done.maxRetries).toBe(3);
    expect(typeof typeChecks).toBe('function');
    await worker.scheduler.whenIdle();
  });

  it("a worker process without the handler leaves the contract's tasks pending; they run once a worker has it", async () => {
    const store = new InMemoryTaskStore();
    const producer = await start({ queue: { store }, providers: [PingTask] });
    const id = await producer.scheduler.schedule(SendEmail, { email: 'x@y.z' });
    const ping = await producer.scheduler.schedule(Ping);
    await producer.scheduler.waitFor(ping);
    await producer.scheduler.whenIdle();
    expect((await producer.scheduler.getTask(id))!.status).toBe(TaskStatus.Pending);
    await start({ queue: { store }, providers: [SendEmailTask] });
    expect((await producer.scheduler.waitFor(id)).status).toBe(TaskStatus.Succeeded);
  });

  it('options beside a contract add to its defaults; schedule options win over both', async () => {
    const app = await start({ providers: [PingTask] });
    const id = await app.scheduler.schedule(Ping);
    expect(await app.scheduler.waitFor(id)).toMatchObject({ result: 'pong', maxRetries: 1 });
    const own = await app.scheduler.schedule(Ping, undefined, { maxRetries: 4 });
    expect((await app.scheduler.waitFor(own)).maxRetries).toBe(4);
  });

  it('a defined name schedules like its contract; a bare unknown name still throws', async () => {
    const app = await start({ queue: { autoStart: false } });
    const id = await app.scheduler.schedule('send-email', { email: 'a@b.c' });
    expect((await app.scheduler.getTask(id))!.maxRetries).toBe(3);
    await expect(app.scheduler.schedule('send-emial', {})).rejects.toThrow(
      new UnknownTaskHandlerError(Messages.unknownHandlerName('send-emial')),
    );
  });

  it('refuses an empty name and a second contract of a name with other defaults', () => {
    expect(() => defineTask('')).toThrow(InvalidTaskOptionsError);
    expect(() => defineTask('send-email', { maxRetries: 4 })).toThrow(
      new DuplicateTaskDefinitionError(DeploymentMessages.conflictingDefinition('send-email')),
    );
    // The same contract defined twice (two copies of a contracts file) is one contract.
    expect(defineTask('send-email', { timeout: 5_000, maxRetries: 3 }).name).toBe('send-email');
    expect(Object.isFrozen(SendEmail)).toBe(true);
    expect(Object.isFrozen(SendEmail.defaults)).toBe(true);
  });
});
