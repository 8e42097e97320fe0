import { Injectable } from '@nestjs/common';
import { TaskHandler, type ITaskHandler, type TaskContext } from '../../../lib/index.js';

/** What the test handlers saw, and the switch that makes `flaky` pass. */
@Injectable()
export class HandlerLog {
  flakyPasses = false;
  readonly aborted: string[] = [];
  private readonly started = new Map<string, () => void>();
  private readonly waiters = new Map<string, Promise<void>>();

  /** Resolves once the `blocking` task `id` has started. */
  whenStarted(id: string): Promise<void> {
    let waiter = this.waiters.get(id);
    if (waiter === undefined) {
      waiter = new Promise((resolve) => this.started.set(id, resolve));
      this.waiters.set(id, waiter);
    }
    return waiter;
  }

  markStarted(id: string): void {
    void this.whenStarted(id);
    this.started.get(id)!();
  }
}

@TaskHandler('ok')
export class OkTask implements ITaskHandler {
  execute(): string {
    return 'fine';
  }
}

/** Fails (for good: no retries) until HandlerLog.flakyPasses; then succeeds. */
@TaskHandler({ name: 'flaky', maxRetries: 0 })
export class FlakyTask implements ITaskHandler {
  constructor(private readonly log: HandlerLog) {}
  execute(): string {
    if (!this.log.flakyPasses) throw new Error('flaky failed');
    return 'passed at last';
  }
}

/** Runs until its signal aborts, then records the abort. */
@TaskHandler('blocking')
export class BlockingTask implements ITaskHandler {
  constructor(private readonly log: HandlerLog) {}
  execute(_args: unknown, ctx: TaskContext): Promise<void> {
    this.log.markStarted(ctx.taskId);
    return new Promise((_, reject) =>
      ctx.signal.addEventListener('abort', () => {
        this.log.aborted.push(ctx.taskId);
        reject(ctx.signal.reason);
      }),
    );
  }
}

/** Throws an error whose message and stack are the args' `payload` (an XSS attempt, in the tests). */
@TaskHandler({ name: 'hostile', maxRetries: 0 })
export class HostileTask implements ITaskHandler<{ payload: string }> {
  execute(args: { payload: string }): void {
    const error = new Error(args.payload);
    error.stack = `Error: ${args.payload}\n    at ${args.payload}`;
    throw error;
  }
}

export const DASHBOARD_HANDLERS = [HandlerLog, OkTask, FlakyTask, BlockingTask, HostileTask];
