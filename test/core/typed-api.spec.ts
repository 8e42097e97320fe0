// Type-level checks of the public generics: `npm run typecheck` (run by CI) fails if a line under an
// expect-error directive compiles, or an unmarked one does not. The runtime part checks the same calls work.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
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

class NotAHandler {}

function typeChecks(scheduler: TaskScheduler): void {
  void scheduler.schedule(SendEmailTask, { email: 'a@b.c' }, { delay: 1 });
  // @ts-expect-error args are typed from the handler's execute()
  void scheduler.schedule(SendEmailTask, { mail: 'a@b.c' });
  // @ts-expect-error args are required when the handler needs them (the message names them: see below)
  void scheduler.schedule(SendEmailTask);
  // @ts-expect-error options are checked with a handler class too
  void scheduler.schedule(SendEmailTask, { email: 'a@b.c' }, { dealy: 5 });
  // @ts-expect-error a class without execute() is not a handler
  void scheduler.schedule(NotAHandler);
  void scheduler.schedule(TickTask);
  void scheduler.schedule(TickTask, undefined, { delay: 1 });
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

it('schedule(Handler) without the args it needs: the compiler says args are missing, and of what type', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntq-types-'));
  const file = join(dir, 'missing-args.ts');
  const lib = join(process.cwd(), 'lib', 'index.js');
  writeFileSync(
    file,
    [
      `import type { ITaskHandler, TaskScheduler } from ${JSON.stringify(lib)};`,
      'class SendEmailTask implements ITaskHandler<{ email: string }> { execute(args: { email: string }) {} }',
      'export const f = (scheduler: TaskScheduler) => scheduler.schedule(SendEmailTask);',
    ].join('\n'),
  );
  const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, ts.sys as never)!;
  const program = ts.createProgram([file], { ...config.options, rootDir: undefined, noEmit: true });
  rmSync(dir, { recursive: true });
  const messages = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(messages).toHaveLength(1);
  const [first] = messages[0]!.split('\n').filter((line) => line.includes('Overload'));
  expect(first).toContain("'missing args (this handler needs them)': { email: string; }");
}, 60_000);
