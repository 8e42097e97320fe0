import type { TaskEvent } from '../../interfaces/task-event.interface.js';

/** One minute of the chart: tasks that succeeded, and that failed for good (no retry left), in this process. */
export interface ActivityMinute {
  /** The minute's start, epoch ms. */
  at: number;
  succeeded: number;
  failed: number;
}

const MINUTE = 60_000;
const MINUTES = 60;

/**
 * Tasks finished per minute over the last hour, from this process's own task events (the stores keep no such
 * history): a ring of 60 counters, O(1) per event.
 */
export class TaskActivityRecorder {
  private readonly minutes: ActivityMinute[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(event: TaskEvent): void {
    if (event.type !== 'succeeded' && !(event.type === 'failed' && !event.willRetry)) return;
    const minute = this.minute(event.timestamp);
    if (event.type === 'succeeded') minute.succeeded++;
    else minute.failed++;
  }

  /** The last 60 minutes, oldest first, the current one last (minutes without tasks as zeros). */
  lastHour(): ActivityMinute[] {
    const current = Math.floor(this.now() / MINUTE) * MINUTE;
    const byStart = new Map(this.minutes.map((m) => [m.at, m]));
    const out: ActivityMinute[] = [];
    for (let i = MINUTES - 1; i >= 0; i--) {
      const at = current - i * MINUTE;
      const found = byStart.get(at);
      out.push({ at, succeeded: found?.succeeded ?? 0, failed: found?.failed ?? 0 });
    }
    return out;
  }

  private minute(timestamp: number): ActivityMinute {
    const at = Math.floor(timestamp / MINUTE) * MINUTE;
    const last = this.minutes[this.minutes.length - 1];
    if (last !== undefined && last.at === at) return last;
    const minute = { at, succeeded: 0, failed: 0 };
    this.minutes.push(minute);
    if (this.minutes.length > MINUTES) this.minutes.shift();
    return minute;
  }
}
