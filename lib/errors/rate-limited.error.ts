import { InvalidTaskOptionsError } from './invalid-task-options.error.js';
import { TaskQueueError } from './task-queue.error.js';
import { DeploymentMessages } from '../engine/deployments/deployment.messages.js';

/**
 * Thrown by a handler that heard "slow down" (an HTTP 429 from a partner): the attempt does not count against
 * `maxRetries`, the task is pending again in `retryAfterMs`, and no other attempt of its handler (or of its
 * `rateLimitKey`) starts anywhere before then. On a store without `supportsDeployments` it fails the attempt as
 * any error does. A negative or non-finite delay throws `InvalidTaskOptionsError` here, which fails the attempt.
 */
export class RateLimitedError extends TaskQueueError {
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, message?: string) {
    if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs < 0)
      throw new InvalidTaskOptionsError(DeploymentMessages.badRetryAfter(retryAfterMs));
    super(message ?? DeploymentMessages.rateLimited(retryAfterMs));
    this.retryAfterMs = retryAfterMs;
  }
}
