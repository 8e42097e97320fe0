import { UnknownTaskHandlerError } from '../../errors/unknown-task-handler.error.js';
import type { TaskRecord } from '../../interfaces/task-record.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { describeError } from '../describe-error.js';
import type { LevelLogger } from '../level-logger.js';
import { toTaskError } from '../task-error.mapper.js';
import { DeploymentMessages } from '../deployments/deployment.messages.js';

/** How long a task handed back waits: a store that ignores `handlers` would hand it to this worker again at once. */
export const FOREIGN_TASK_HOLD_MS = 1_000;

/**
 * A claimed task of a handler this process lacks (a store that does not keep `ClaimRequest.handlers`) is handed
 * back, never failed for good: postponed where the store can (no retry used up), else failed with a retry. Warned
 * once per handler.
 */
export class ForeignTaskHandBack {
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: ITaskStore,
    private readonly logger: LevelLogger,
  ) {}

  handBack(task: TaskRecord): Promise<void> {
    if (!this.warned.has(task.handler)) {
      this.warned.add(task.handler);
      this.logger.warn(DeploymentMessages.foreignTask(task.handler));
    }
    const lease = { taskId: task.id, token: task.leaseToken! };
    const { store } = this;
    const error = () => toTaskError(new UnknownTaskHandlerError(Messages.unknownHandlerName(task.handler)));
    const handing =
      store.postpone !== undefined
        ? store.postpone(lease, FOREIGN_TASK_HOLD_MS)
        : store.fail(lease, error(), FOREIGN_TASK_HOLD_MS);
    return handing.then(
      () => undefined,
      (failure: unknown) => {
        const what = `could not hand it back (${describeError(failure)}); it runs again once its lease expires`;
        this.logger.warn(`Task ${task.id}: ${what}`);
      },
    );
  }
}
