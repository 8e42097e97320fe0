import type { MemoryTask } from './memory-task.js';

/**
 * A task's place in a flow (in-memory store): made for a task with `dependsOn` and for a task others wait for.
 * A waiting task counts its unfinished dependencies; each dependency lists the waiting tasks that count it, so a
 * finish costs O(its dependents), never a scan. (What retention keeps for unfinished dependents is counted by id,
 * in MemoryDependencies.)
 */
export class MemoryFlow {
  /** Its dependencies, in `dependsOn` order. */
  readonly deps: MemoryTask[] = [];
  /** Of `deps`, those not finished yet. */
  unfinished = 0;
  /** Waiting tasks that count this one among their unfinished dependencies. */
  dependents: MemoryTask[] = [];

  constructor(
    readonly dependsOn: string[] | undefined,
    readonly runOnFailure: boolean,
  ) {}
}
