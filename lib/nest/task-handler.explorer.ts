import { Injectable, Logger } from '@nestjs/common';
import { ContextIdFactory, DiscoveryService, ModuleRef } from '@nestjs/core';
import type { TaskQueue } from '../engine/task-queue.js';
import { DuplicateTaskHandlerError } from '../errors/duplicate-task-handler.error.js';
import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import type { ITaskHandler } from '../interfaces/task-handler.interface.js';
import { LOGGER_CONTEXT } from '../task-queue.constants.js';
import { Messages } from '../task-queue.messages.js';
import { TaskHandlerDiscovery } from './task-handler.decorator.js';
import { recurringDeclarationsOf } from './recurring.decorator.js';
import type { ClassReference } from '../interfaces/class-reference.js';

/** Finds every `@TaskHandler()` provider and registers it with the engine. */
@Injectable()
export class TaskHandlerExplorer {
  private readonly logger = new Logger(LOGGER_CONTEXT);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
  ) {}

  registerAll(queue: TaskQueue): void {
    const seen = new Set<ClassReference>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: TaskHandlerDiscovery.KEY })) {
      if (wrapper.isAlias) continue; // useExisting: the real provider is registered on its own
      // useValue/useFactory providers have no class metatype: find the class through the instance.
      const target: ClassReference | undefined =
        !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : (wrapper.metatype as ClassReference);
      if (target === undefined || target === Object) continue;
      if (seen.has(target)) throw new DuplicateTaskHandlerError(Messages.handlerProvidedTwice(target.name));
      seen.add(target);
      const options = this.discovery.getMetadataByDecorator(TaskHandlerDiscovery, wrapper) ?? {};
      const name = options.name ?? target.name;
      const defaults = {
        timeout: options.timeout,
        maxRetries: options.maxRetries,
        retryStrategy: options.retryStrategy,
        concurrency: options.concurrency,
        globalConcurrency: options.globalConcurrency,
        rateLimit: options.rateLimit,
      };
      if (wrapper.isDependencyTreeStatic()) {
        const instance = wrapper.instance as ITaskHandler | undefined;
        if (typeof instance?.execute !== 'function')
          throw new InvalidTaskOptionsError(Messages.handlerWithoutExecute(target.name));
        queue.registerHandler(name, instance, defaults, target);
      } else {
        // Request-scoped (or depends on something that is): a fresh DI context per task, never a shared captive.
        this.logger.log(Messages.requestScopedHandler(target.name));
        const resolve = () =>
          this.moduleRef.resolve<ITaskHandler>(target as never, ContextIdFactory.create(), { strict: false });
        queue.registerHandler(name, resolve, defaults, target);
      }
      for (const { key, args, ...options } of recurringDeclarationsOf(target))
        queue.declareRecurring(key, name, args, options, target.name);
    }
  }
}
