import type { ClaimRequest, ITaskStore } from '../../../lib/index.js';

const DEPLOYMENT_MEMBERS = new Set<PropertyKey>([
  'supportsDeployments',
  'postpone',
  'setPaused',
  'getPaused',
  'heartbeatWorker',
  'removeWorker',
  'listWorkers',
  'dueHandlers',
]);

/** The store as a custom store without deployments sees it: no `supportsDeployments`, none of its methods. */
export function withoutDeployments<S extends ITaskStore>(store: S): ITaskStore {
  return new Proxy(store, {
    get: (target, key, receiver) => (DEPLOYMENT_MEMBERS.has(key) ? undefined : Reflect.get(target, key, receiver)),
  });
}

/** A custom store that says it keeps deployments but claims any handler's tasks (it ignores `handlers`). */
export function ignoringHandlers<S extends ITaskStore>(store: S): S {
  return new Proxy(store, {
    get: (target, key, receiver) =>
      key === 'claim'
        ? (request: ClaimRequest) => target.claim({ workerId: request.workerId, limit: request.limit })
        : Reflect.get(target, key, receiver),
  });
}
