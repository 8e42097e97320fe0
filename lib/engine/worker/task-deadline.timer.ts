import { BinaryHeap } from '../../collections/binary-heap.js';
import { TaskTimeoutError } from '../../errors/task-timeout.error.js';
import { MAX_TIMER_MS } from '../../task-queue.constants.js';
import { Messages } from '../../task-queue.messages.js';
import type { TaskAttempt } from '../task-attempt.js';

/** Aborts attempts that outlive their timeout: one heap by deadline and one timer for all, no timer per task. */
export class TaskDeadlineTimer {
  private readonly deadlines = new BinaryHeap<TaskAttempt>((a, b) => a.deadline < b.deadline);
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  track(attempt: TaskAttempt): void {
    if (attempt.deadline === Infinity) return;
    this.deadlines.push(attempt);
    // Armed only when a deadline is earlier than the armed one; removals do not re-arm (the timer re-checks).
    if (attempt.deadline < this.armedAt) this.arm(attempt.deadline, Date.now());
  }

  /** The attempt ended: its deadline no longer applies. */
  untrack(attempt: TaskAttempt): void {
    if (attempt.heapIndex >= 0) this.deadlines.remove(attempt);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number, now: number): void {
    clearTimeout(this.timer);
    this.armedAt = at;
    // A deadline past Node's timer limit: wake at the limit, find nothing due, and re-arm for the rest.
    this.timer = setTimeout(this.onDeadline, Math.min(Math.max(0, at - now), MAX_TIMER_MS));
  }

  private readonly onDeadline = (): void => {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    for (let next = this.deadlines.peek(); next !== undefined && next.deadline <= now; next = this.deadlines.peek()) {
      this.deadlines.pop();
      next.abort(new TaskTimeoutError(Messages.timedOut(next.taskId, next.task.timeout!)));
    }
    const next = this.deadlines.peek();
    if (next !== undefined) this.arm(next.deadline, now);
  };
}
