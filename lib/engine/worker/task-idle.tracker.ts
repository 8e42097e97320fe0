/**
 * Who waits for the worker: `whenIdle()` callers (nothing runs, nothing due waits, no schedule() in flight) and
 * the shutdown drain (nothing runs). Promises settled on state changes, never polled.
 */
export class TaskIdleTracker {
  /** schedule() calls in flight: an idle worker waits for them too. */
  private adding = 0;
  private idleWaiters: (() => void)[] = [];
  private emptyWaiters: (() => void)[] = [];

  constructor(
    /** True while the worker runs attempts or claims (or is about to). */
    private readonly busy: () => boolean,
    private readonly running: () => number,
  ) {}

  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  beginAdd(): void {
    this.adding++;
  }

  endAdd(): void {
    this.adding--;
    this.settle();
  }

  /** Resolves the idle waiters if the worker is idle now. */
  settle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** True once nothing runs, false if something still runs after `timeoutMs`. */
  whenEmpty(timeoutMs: number): Promise<boolean> {
    if (this.running() === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.emptyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** An attempt ended: the drain may be over. */
  attemptEnded(): void {
    if (this.running() > 0 || this.emptyWaiters.length === 0) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private isIdle(): boolean {
    return this.adding === 0 && !this.busy();
  }
}
