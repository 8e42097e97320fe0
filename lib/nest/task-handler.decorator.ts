import { applyDecorators, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { TaskHandlerOptions } from './task-handler-options.interface.js';
import { isTaskDefinition, type TaskDefinition } from '../engine/deployments/task-definition.js';
import type { ITaskHandler } from '../interfaces/task-handler.interface.js';

/**
 * Where `@TaskHandler()` keeps its options: the only place they are written, and Nest indexes the decorated
 * classes by it, so discovery finds them without walking every provider.
 */
export const TaskHandlerDiscovery = DiscoveryService.createDecorator<TaskHandlerOptions>();

type HandlerClass = abstract new (...args: any[]) => ITaskHandler<any, any>;
type ArgsOf<I> = I extends { execute(args: infer A, ...rest: any[]): any } ? A : unknown;
type ResultOf<I> = I extends { execute(...args: any[]): infer R } ? Awaited<R> : unknown;

/**
 * A class fits a contract when its `execute` takes the contract's args and returns its result; else the
 * decorator's argument type gains a property whose name says what does not match (the compiler's message).
 */
export type FitsDefinition<T extends HandlerClass, A, R> = [A] extends [ArgsOf<InstanceType<T>>]
  ? [ResultOf<InstanceType<T>>] extends [R]
    ? unknown
    : { 'execute() does not return the result type of the task contract': R }
  : { 'execute() does not take the args type of the task contract': A };

/** `@TaskHandler(Contract)`: the class must fit the contract's types. */
export type DefinitionHandlerDecorator<A, R> = <T extends HandlerClass>(target: T & FitsDefinition<T, A, R>) => void;

/**
 * Marks an injectable class with an `execute(args, ctx)` method as a task handler. DiscoveryService
 * registers it at start-up under its class name, the name given, or its contract's name (`defineTask`), whose
 * defaults it takes; options given beside a contract add to them (and win where both set one).
 *
 * @example @TaskHandler() class SendEmailTask implements ITaskHandler<{ email: string }> { ... }
 * @example @TaskHandler('send-email') or @TaskHandler({ name: 'send-email', maxRetries: 3, timeout: 10_000 })
 * @example @TaskHandler(SendEmail, { concurrency: 2 }) class SendEmailTask implements ITaskHandler<TaskArgs<typeof SendEmail>> { ... }
 */
export function TaskHandler<A, R>(
  definition: TaskDefinition<A, R>,
  options?: Omit<TaskHandlerOptions, 'name'>,
): DefinitionHandlerDecorator<A, R>;
export function TaskHandler(nameOrOptions?: string | TaskHandlerOptions): ClassDecorator;
export function TaskHandler(
  reference?: string | TaskHandlerOptions | TaskDefinition<any, any>,
  extra?: Omit<TaskHandlerOptions, 'name'>,
): ClassDecorator {
  let options: TaskHandlerOptions;
  if (typeof reference === 'string') options = { name: reference };
  else if (isTaskDefinition(reference)) options = { ...reference.defaults, ...extra, name: reference.name };
  else options = { ...reference };
  return applyDecorators(Injectable(), TaskHandlerDiscovery(options));
}
