import { DuplicateTaskHandlerError } from '../errors/duplicate-task-handler.error.js';
import type { ITaskHandler } from '../interfaces/task-handler.interface.js';
import type { IRetryStrategy } from '../retry/retry-strategy.interface.js';
import { Messages } from '../task-queue.messages.js';
import type { ClassReference } from '../interfaces/class-reference.js';
import { checkHandlerLimits, type HandlerLimits } from './deployments/handler-limits.validator.js';

/**
 * Per-handler defaults; schedule options override them, they override the module's. The limits (`concurrency`,
 * `globalConcurrency`, `rateLimit`) need a store with `supportsDeployments` (all built-in stores).
 */
export interface TaskHandlerDefaults extends HandlerLimits {
  timeout?: number;
  maxRetries?: number;
  retryStrategy?: IRetryStrategy;
}

/** How the worker gets the handler object: one instance, or a fresh one per task (request-scoped DI). */
export type HandlerSource = ITaskHandler<any, any> | (() => Promise<ITaskHandler<any, any>>);

export interface RegisteredHandler {
  readonly name: string;
  /** The handler object, when one instance serves every task. */
  readonly instance: ITaskHandler<any, any> | undefined;
  /** Resolves a handler for one task, when each task needs its own. */
  readonly resolve: (() => Promise<ITaskHandler<any, any>>) | undefined;
  readonly defaults: TaskHandlerDefaults;
  /** The class, so `schedule(SomeHandler, ...)` finds it; and for error messages. */
  readonly target: ClassReference | undefined;
}

/** Registered handlers by name and by class. Only these ever run: a task names one, never code to load. */
export class HandlerRegistry {
  private readonly byName = new Map<string, RegisteredHandler>();
  private readonly byClass = new Map<ClassReference, RegisteredHandler>();
  /** Grows with each registration: what depends on the set of handlers knows when to look again. */
  version = 0;

  register(name: string, source: HandlerSource, defaults: TaskHandlerDefaults = {}, target?: ClassReference): void {
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      throw new DuplicateTaskHandlerError(
        Messages.duplicateHandler(name, label(existing.target), label(target ?? source.constructor)),
      );
    }
    checkHandlerLimits(defaults);
    const isResolver = typeof source === 'function';
    const entry: RegisteredHandler = {
      name,
      instance: isResolver ? undefined : source,
      resolve: isResolver ? source : undefined,
      defaults,
      target: target ?? (isResolver ? undefined : source.constructor),
    };
    this.byName.set(name, entry);
    if (entry.target !== undefined && entry.target !== Object) this.byClass.set(entry.target, entry);
    this.version++;
  }

  get(name: string): RegisteredHandler | undefined {
    return this.byName.get(name);
  }

  getByClass(target: ClassReference): RegisteredHandler | undefined {
    return this.byClass.get(target);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  entries(): IterableIterator<RegisteredHandler> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }
}

const label = (target: ClassReference | undefined): string => (target?.name ? target.name : 'an anonymous handler');
