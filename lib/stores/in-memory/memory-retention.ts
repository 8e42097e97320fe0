import { Deque } from '../../collections/deque.js';
import type { RetentionOptions } from '../../interfaces/task-store.interface.js';
import { DEFAULT_RETENTION } from '../../task-queue.defaults.js';
import { Place, type MemoryTask } from './memory-task.js';

/** Finished tasks in the order they finished, and the retention that drops them: beyond maxCount, older than maxAge. */
export class MemoryRetention {
  options: Required<RetentionOptions> = DEFAULT_RETENTION;
  private readonly finished = new Deque<MemoryTask>();
  /** Tasks in `finished` that were replaced by a new task of their id: they no longer count. */
  private released = 0;

  /** @param drop forgets a task the retention removes */
  constructor(private readonly drop: (task: MemoryTask) => void) {}

  retain(task: MemoryTask, now: number): void {
    task.place = Place.Retained;
    this.finished.push(task);
    this.trim(now);
  }

  /** The task is replaced by a new task of its id; it leaves the list when it reaches the front. */
  release(task: MemoryTask): void {
    if (task.place !== Place.Retained) return;
    task.place = Place.None;
    this.released++;
  }

  trim(now: number): void {
    const { maxCount, maxAge } = this.options;
    for (let oldest = this.finished.peek(); oldest !== undefined; oldest = this.finished.peek()) {
      if (oldest.place !== Place.Retained) {
        this.finished.shift();
        this.released--;
        continue;
      }
      if (this.finished.size - this.released <= maxCount && oldest.finishedAt! > now - maxAge) break;
      this.finished.shift();
      this.drop(oldest);
    }
  }
}
