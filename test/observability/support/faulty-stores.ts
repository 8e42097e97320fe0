import { InMemoryTaskStore, type ClaimBatch, type ClaimRequest, type TaskCounts } from '../../../lib/index.js';
import { deferred } from './deferred.js';

/** An in-memory store that can be "stopped": then counts() and claim() reject, as a store whose server is down. */
export class StoppableStore extends InMemoryTaskStore {
  stopped = false;
  /** counts() never answers while set. */
  hanging = false;
  private refusals = 0;
  private refusedTwice = deferred();

  /** Resolves at the second claim refused while stopped: by then the worker has recorded the first failure. */
  get claimsRefused(): Promise<void> {
    return this.refusedTwice.promise;
  }

  override counts(): Promise<TaskCounts> {
    if (this.hanging) return new Promise(() => {});
    if (this.stopped) return Promise.reject(new Error('connection refused'));
    return super.counts();
  }

  override claim(request: ClaimRequest): Promise<ClaimBatch> {
    if (!this.stopped) return super.claim(request);
    if (++this.refusals === 2) this.refusedTwice.resolve();
    return Promise.reject(new Error('connection refused'));
  }
}
