import type { MemoryTask } from './memory-task.js';

/**
 * A task's place in a flow (in-memory store): made for a task with `dependsOn` and for a task others depend on.
 * A waiting task counts its unfinished dependencies; each dependency lists the waiting tasks that count it, so a
 * finish costs O(its dependents), never a scan. `holders`: unfinished tasks that depend on this one, which
 * retention therefore keeps.
 */
export class MemoryFlow {
  /** Its dependencies, in `dependsOn` order. */
  readonly deps: MemoryTask[] = [];
  /** Of `deps`, those not finished yet. */
  unfinished = 0;
  /** Waiting tasks that count this one among their unfinished dependencies. */
  dependents: MemoryTask[] = [];
  holders = 0;

  constructor(
    readonly dependsOn: string[] | undefined,
    readonly runOnFailure: boolean,
  ) {}
}
