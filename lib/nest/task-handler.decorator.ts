import { applyDecorators, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { TaskHandlerOptions } from './task-handler-options.interface.js';

/**
 * Where `@TaskHandler()` keeps its options: the only place they are written, and Nest indexes the decorated
 * classes by it, so discovery finds them without walking every provider.
 */
export const TaskHandlerDiscovery = DiscoveryService.createDecorator<TaskHandlerOptions>();

/**
 * Marks an injectable class with an `execute(args, ctx)` method as a task handler. DiscoveryService
 * registers it at start-up under its class name, or the name given.
 *
 * @example @TaskHandler() class SendEmailTask implements ITaskHandler<{ email: string }> { ... }
 * @example @TaskHandler('send-email') or @TaskHandler({ name: 'send-email', maxRetries: 3, timeout: 10_000 })
 */
export function TaskHandler(nameOrOptions?: string | TaskHandlerOptions): ClassDecorator {
  const options: TaskHandlerOptions =
    typeof nameOrOptions === 'string' ? { name: nameOrOptions } : { ...nameOrOptions };
  return applyDecorators(Injectable(), TaskHandlerDiscovery(options));
}
