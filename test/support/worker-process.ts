import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/worker-app.mjs');

/** What fixtures/worker-app.mjs reads from NTQ_FIXTURE: modules as file URLs, options as JSON. */
export interface WorkerAppConfig {
  lib: string;
  store: { module: string; exportName: string; options: object };
  /** Where `record` tasks record their runs; none: they record nothing. */
  recorder?: { module: string; options: object };
  concurrency: number;
  /** In-memory store: a task due this many ms from start is added before the app starts. */
  seedDelayMs?: number;
  /** Closes the app as soon as it started (and sent `ready`), then disconnects: the process should then end. */
  closeOnceStarted?: boolean;
  /** idle-then-close-queue.mjs: close() while start() is still connecting, instead of after the tasks ran. */
  closeDuringStart?: boolean;
  /** Another fixture app than worker-app.mjs (a path), e.g. fixtures/recurring-worker-app.mjs. */
  app?: string;
  /** recurring-worker-app.mjs: its @Recurring() declarations (dates as ISO strings). */
  recurring?: object[];
  /** deployments-worker-app.mjs: the handlers it runs, each a contract (with defaults) and handler options. */
  handlers?: { name: string; defaults?: object; options?: object }[];
}

export interface WorkerMessage {
  type: string;
  pid: number;
  taskId?: string;
  attempt?: number;
  reason?: string;
  /** deployments-worker-app.mjs: the handler that ran, and when (this machine's ms). */
  handler?: string;
  at?: number;
  /** idle-then-close-queue.mjs: the store's counts once the queue was idle. */
  counts?: Record<string, number>;
  /** idle-then-close-queue.mjs with closeDuringStart: how start() ended ('started' or the error's name). */
  start?: string;
}

/** A worker app in a child process: its IPC messages and output, and ways to stop it (politely or not). */
export class WorkerProcess {
  readonly messages: WorkerMessage[] = [];
  output = '';
  private readonly waiters = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: WorkerMessage) => {
      this.messages.push(message);
      this.notify();
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        this.notify();
      });
    }
    child.on('exit', () => this.notify());
  }

  get pid(): number {
    return this.child.pid!;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  static async start(config: WorkerAppConfig): Promise<WorkerProcess> {
    const child = fork(config.app ?? FIXTURE, [], {
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', NTQ_FIXTURE: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const worker = new WorkerProcess(child);
    await worker.waitFor(() => worker.messages.some((m) => m.type === 'ready'), 'ready');
    return worker;
  }

  /** Resolves once `condition` holds (checked on every message, output and exit); fails if the worker died first. */
  waitFor(condition: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) {
          this.waiters.delete(check);
          resolve();
        } else if (this.exited) {
          this.waiters.delete(check);
          const status = this.child.exitCode ?? this.child.signalCode;
          reject(new Error(`Worker ${this.child.pid} exited (${status}) before ${what}. Output:\n${this.output}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  started(taskId?: string): WorkerMessage[] {
    return this.messages.filter((m) => m.type === 'started' && (taskId === undefined || m.taskId === taskId));
  }

  /** Resolves once the worker sent a message of `type` about `taskId`. */
  said(type: string, taskId: string | undefined, what: string): Promise<void> {
    return this.waitFor(() => this.messages.some((m) => m.type === type && m.taskId === taskId), what);
  }

  /** Closes the app gracefully (drains, releases the store) and waits for the process to end. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.child.send({ type: 'close' });
    await exit;
  }

  /** How the process ended, if it ends within `ms`; else undefined (it is then killed). */
  async exitWithin(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    let deadline: NodeJS.Timeout | undefined;
    const exit = this.exited ? Promise.resolve() : once(this.child, 'exit').then(() => undefined);
    const late = new Promise<'late'>((resolve) => (deadline = setTimeout(() => resolve('late'), ms)));
    const outcome = await Promise.race([exit, late]);
    clearTimeout(deadline);
    if (outcome === 'late') {
      await this.kill();
      return undefined;
    }
    return { code: this.child.exitCode, signal: this.child.signalCode };
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.child.kill(signal);
    await exit;
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
