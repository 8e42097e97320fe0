import { setTimeout as sleep } from 'node:timers/promises';
import { WorkerProcess, type WorkerAppConfig } from '../support/worker-process.js';
import type { Disruption } from './chaos-log.js';

/** The worker processes of a chaos run: started, killed with SIGKILL (and replaced), paused with SIGSTOP. */
export class ChaosWorkers {
  readonly disruptions: Disruption[] = [];
  kills = 0;
  pauses = 0;
  private readonly live = new Set<WorkerProcess>();
  private readonly paused = new Set<WorkerProcess>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly config: WorkerAppConfig,
    private readonly random: () => number,
  ) {}

  async start(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.spawn()));
  }

  /** Kills `count` running workers at once (a burst when more than one), and starts as many new ones. */
  async kill(count: number): Promise<number> {
    const victims = this.pick(count);
    // A victim runs on until the signal lands: a run it starts in that moment (its clock a millisecond past `from`)
    // is the killed process's, so the kill lasts until its exit is seen.
    await Promise.all(
      victims.map(async (victim) => {
        this.live.delete(victim);
        const kill: Disruption = { kind: 'kill', pid: victim.pid, from: Date.now(), to: Infinity };
        this.disruptions.push(kill);
        await victim.kill('SIGKILL');
        kill.to = Date.now();
      }),
    );
    this.kills += victims.length;
    for (const _ of victims) this.track(this.spawn());
    return victims.length;
  }

  /** Stops a worker (SIGSTOP) for `ms`, past its leases, then lets it go on (SIGCONT). */
  pause(ms: number): boolean {
    const [worker] = this.pick(1);
    if (worker === undefined) return false;
    worker.child.kill('SIGSTOP');
    const pause: Disruption = { kind: 'pause', pid: worker.pid, from: Date.now(), to: Infinity };
    this.disruptions.push(pause);
    this.paused.add(worker);
    this.pauses++;
    this.track(
      sleep(ms).then(() => {
        worker.child.kill('SIGCONT');
        pause.to = Date.now();
        this.paused.delete(worker);
      }),
    );
    return true;
  }

  /** Waits for every pause to end and every replacement to be up. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Closes every worker gracefully (a drain), killing one that takes over 10 s. */
  async close(): Promise<void> {
    await this.settle();
    await Promise.all(
      [...this.live].map(async (worker) => {
        const closing = worker.close();
        if ((await worker.exitWithin(10_000)) === undefined) await worker.kill();
        await closing.catch(() => undefined);
      }),
    );
    this.live.clear();
  }

  /** What the workers printed (warnings and errors), for the report. */
  output(): string {
    return [...this.live].map((worker) => worker.output).join('');
  }

  private pick(count: number): WorkerProcess[] {
    const candidates = [...this.live].filter((worker) => !this.paused.has(worker) && !worker.exited);
    const picked: WorkerProcess[] = [];
    while (picked.length < count && candidates.length > 0) {
      picked.push(candidates.splice(Math.floor(this.random() * candidates.length), 1)[0]!);
    }
    return picked;
  }

  /** Starts a worker; one that cannot start (its store is out) is tried again. */
  private async spawn(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.live.add(await WorkerProcess.start(this.config));
        return;
      } catch (error) {
        if (attempt === 60) throw error;
        await sleep(500);
      }
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}
