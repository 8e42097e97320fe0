import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import type { ITaskStore } from '../interfaces/task-store.interface.js';
import { Messages } from '../task-queue.messages.js';

/** What the engine calls on every store: one missing would fail later as a bare TypeError (`store.subscribe`). */
const REQUIRED_METHODS = [
  'add',
  'claim',
  'renew',
  'complete',
  'fail',
  'cancel',
  'get',
  'list',
  'counts',
  'subscribe',
] as const satisfies readonly (keyof ITaskStore)[];

/** Returns `store` if it has the ITaskStore shape, else throws InvalidTaskOptionsError naming what it lacks. */
export function checkStore(store: unknown): ITaskStore {
  if (typeof store !== 'object' || store === null) throw new InvalidTaskOptionsError(Messages.notAStore(store, []));
  const candidate = store as Record<string, unknown>;
  const missing: string[] = REQUIRED_METHODS.filter((name) => typeof candidate[name] !== 'function').map(
    (name) => `${name}()`,
  );
  const leaseTime = candidate['leaseTime'];
  if (typeof leaseTime !== 'number' || !(leaseTime > 0)) missing.push('leaseTime (a positive number of ms)');
  const serialization = candidate['serialization'];
  if (serialization !== 'json' && serialization !== 'structured')
    missing.push("serialization ('json' or 'structured')");
  if (missing.length > 0) throw new InvalidTaskOptionsError(Messages.notAStore(store, missing));
  return store as ITaskStore;
}
