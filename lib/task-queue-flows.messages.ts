/** What flows (dependsOn, waitFor, progress) throw and log; the stores build `dependencyFailed` the same way. */
export const FlowMessages = {
  unknownDependency: (id: string) =>
    `dependsOn names "${id}", a task the store does not know (never scheduled, or removed by retention); nothing was added.`,
  unknownTask: (id: string) => `No task has the id "${id}" (never scheduled, or removed by retention).`,
  selfDependency: (id: string) => `A task cannot depend on itself: dependsOn names its own taskId "${id}".`,
  cycle: (ids: string[]) =>
    `dependsOn makes a cycle in this scheduleMany() batch: ${ids.join(' -> ')}; nothing was added.`,
  dependenciesUnsupported: () => 'This store does not keep `dependsOn` (ITaskStore.supportsDependencies).',
  waitForUnsupported: () => 'This store cannot signal finished tasks (ITaskStore.watch), so waitFor() cannot wait.',
  waitTimedOut: (id: string, timeout: number) => `Task ${id} did not finish within ${timeout} ms (waitFor timeout).`,
  closedWhileWaiting: (id: string) => `The task queue closed while waitFor() waited for task ${id}.`,
  /** The `lastError.message` of a task cancelled because a dependency failed or was cancelled. */
  dependencyFailed: (id: string, dependency: string, status: string) =>
    `Task ${id} was cancelled: its dependency ${dependency} ${status}`,
  progressRefused: (id: string) =>
    `Task ${id}: progress not recorded, this attempt's lease was lost (another worker took the task over, or it was cancelled)`,
  progressUnsupported: () => 'This store does not keep progress (ITaskStore.setProgress); ctx.progress() does nothing.',
} as const;

/** The `lastError.name` of a task cancelled because a dependency failed or was cancelled. */
export const DEPENDENCY_FAILED_ERROR = 'TaskCancelledError';
