import { StoreOperationUnsupportedError } from '../../errors/store-operation-unsupported.error.js';
import { UnknownTaskHandlerError } from '../../errors/unknown-task-handler.error.js';
import type { DeploymentStoreMethods } from '../../interfaces/deployment-store.interface.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import type { WorkerInfo } from '../../interfaces/worker-info.interface.js';
import { Messages } from '../../task-queue.messages.js';
import { checkOption, isNonEmptyString } from '../../validation/option.validator.js';
import { checkText } from '../../validation/text.validator.js';
import type { HandlerRegistry } from '../handler-registry.js';
import type { HandlerReference } from '../task-builder.js';
import { DeploymentMessages } from './deployment.messages.js';
import { hasLimits } from './handler-limits.validator.js';
import { isTaskDefinition } from './task-definition.js';

type Method = Exclude<keyof DeploymentStoreMethods, 'supportsDeployments'>;
type StoreCall = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

/** Pause, resume and the worker registry: the scheduler's calls of deployments, on the store's methods. */
export class TaskDeployments {
  constructor(
    private readonly store: ITaskStore,
    private readonly registry: HandlerRegistry,
    private readonly call: StoreCall,
  ) {}

  /** Pauses (or resumes) a handler, or with none the whole queue, for every process sharing the store. */
  async setPaused(handler: HandlerReference | undefined, paused: boolean, operation: string): Promise<void> {
    const setPaused = this.method('setPaused', `${operation}()`);
    const name = this.nameOf(handler);
    await this.call(operation, () => setPaused(name, paused));
  }

  async isPaused(handler: HandlerReference | undefined): Promise<boolean> {
    const getPaused = this.method('getPaused', 'isPaused()');
    const name = this.nameOf(handler);
    const state = await this.call('isPaused', () => getPaused());
    return name === null ? state.queue : state.handlers.includes(name);
  }

  async listWorkers(): Promise<WorkerInfo[]> {
    const listWorkers = this.method('listWorkers', 'listWorkers()');
    const records = await this.call('listWorkers', () => listWorkers());
    return records.map((record) => ({
      ...record,
      startedAt: new Date(record.startedAt),
      lastSeenAt: new Date(record.lastSeenAt),
    }));
  }

  /** A worker starts: the handlers' limits need a store that keeps them. */
  checkLimitsSupported(): void {
    if (this.store.supportsDeployments) return;
    for (const entry of this.registry.entries()) {
      if (hasLimits(entry.defaults))
        throw new StoreOperationUnsupportedError(DeploymentMessages.limitsUnsupported(entry.name, this.storeName()));
    }
  }

  /** A handler's name as the store keeps it; null: the whole queue. A name need not be registered here. */
  private nameOf(handler: HandlerReference | undefined): string | null {
    if (handler === undefined) return null;
    if (isTaskDefinition(handler)) return handler.name;
    if (typeof handler === 'function') {
      const entry = this.registry.getByClass(handler);
      if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerClass(handler.name));
      return entry.name;
    }
    checkOption('handler', handler, isNonEmptyString, 'a handler name, class or contract');
    checkText('handler', handler as string);
    return handler as string;
  }

  private method<K extends Method>(method: K, operation: string): NonNullable<ITaskStore[K]> {
    const fn = this.store[method];
    if (!this.store.supportsDeployments || typeof fn !== 'function')
      throw new StoreOperationUnsupportedError(DeploymentMessages.unsupported(operation, this.storeName()));
    return (fn as (...args: never[]) => unknown).bind(this.store) as NonNullable<ITaskStore[K]>;
  }

  private storeName(): string {
    return this.store.constructor?.name ?? 'This store';
  }
}
