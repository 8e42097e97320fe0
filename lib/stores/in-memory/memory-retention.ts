import { Deque } from '../../collections/deque.js';
import type { RetentionOptions } from '../../interfaces/task-store.interface.js';
import { DEFAULT_RETENTION } from '../../task-queue.defaults.js';
import type { MemoryTask } from './memory-task.js';

/** Finished tasks, oldest first, and the retention that drops them: beyond maxCount or older than maxAge. */
export class MemoryRetention {
  options: Required<RetentionOptions> = DEFAULT_RETENTION;
  private readonly finished = new Deque<MemoryTask>();

  /** @param drop forgets a task the retention removes (unless it was replaced meanwhile) */
  constructor(private readonly drop: (task: MemoryTask) => void) {}

  retain(task: MemoryTask, now: number): void {
    this.finished.push(task);
    this.trim(now);
  }

  trim(now: number): void {
    const { maxCount, maxAge } = this.options;
    for (let oldest = this.finished.peek(); oldest !== undefined; oldest = this.finished.peek()) {
      if (this.finished.size <= maxCount && oldest.finishedAt! > now - maxAge) break;
      this.finished.shift();
      this.drop(oldest);
    }
  }
}
