import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { TaskArgsNotSerializableError } from '../errors/task-args-not-serializable.error.js';
import { UnknownTaskHandlerError } from '../errors/unknown-task-handler.error.js';
import type { ScheduleOptions } from '../interfaces/schedule-options.interface.js';
import type { NewTask } from '../interfaces/task-record.interface.js';
import { Messages } from '../task-queue.messages.js';
import {
  checkOptional,
  isNonEmptyString,
  isNonNegativeFinite,
  isNonNegativeInteger,
  isPlainObject,
  isPositiveFinite,
  type OptionPredicate,
} from '../validation/option.validator.js';
import { checkText, MAX_KEY_LENGTH } from '../validation/text.validator.js';
import type { HandlerRegistry, RegisteredHandler } from './handler-registry.js';
import { assertJsonSafe } from './json-safety.js';
import { newTaskId } from './task-id.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';
import type { TaskDefaultsResolver } from './task-defaults.resolver.js';
import type { ClassReference } from '../interfaces/class-reference.js';

const NO_OPTIONS: ScheduleOptions = Object.freeze({});

/** A handler as `schedule()` accepts it: its registered name or its class. */
export type HandlerReference = string | ClassReference;

/**
 * Turns a `schedule()` call into the task a store adds, or throws a typed error that names the problem.
 * Nothing reaches the store unless every check passed.
 */
export class TaskBuilder {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly options: ResolvedTaskQueueOptions,
    private readonly defaults: TaskDefaultsResolver,
  ) {}

  build(handler: HandlerReference, args: unknown, options: ScheduleOptions | undefined, now: number): NewTask {
    const entry = this.resolveHandler(handler);
    const o = options ?? NO_OPTIONS;
    checkText('handler', entry.name);
    if (options !== undefined) {
      validate(o);
      if (o.transaction !== undefined && !this.options.store.supportsTransactions)
        throw new InvalidTaskOptionsError(Messages.transactionUnsupported());
    }
    const task: NewTask = {
      id: o.taskId ?? newTaskId(),
      handler: entry.name,
      name: o.name,
      args,
      priority: o.priority ?? 0,
      partitionKey: o.partitionKey,
      runAt: o.runAt !== undefined ? o.runAt.getTime() : o.delay !== undefined ? now + o.delay : now,
      createdAt: now,
      maxRetries: this.defaults.maxRetries(o.maxRetries, entry.defaults),
      timeout: this.defaults.timeout(o.timeout, entry.defaults),
      retryStrategy: o.retryStrategy,
      metadata: o.metadata,
    };
    if (this.options.store.serialization === 'json') assertStorable(task);
    return task;
  }

  resolveHandler(handler: HandlerReference): RegisteredHandler {
    if (typeof handler === 'string') {
      const entry = this.registry.get(handler);
      if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerName(handler));
      return entry;
    }
    const entry = typeof handler === 'function' ? this.registry.getByClass(handler) : undefined;
    if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerClass(describeClass(handler)));
    return entry;
  }
}

function validate(o: ScheduleOptions): void {
  if (o.delay !== undefined && o.runAt !== undefined) throw new InvalidTaskOptionsError(Messages.delayAndRunAt());
  checkOptional('delay', o.delay, isNonNegativeFinite, 'a finite number of ms from 0 up');
  checkOptional('runAt', o.runAt, isValidDate, 'a valid Date');
  checkOptional('timeout', o.timeout, isPositiveFinite, 'a positive number of ms');
  checkOptional('maxRetries', o.maxRetries, isNonNegativeInteger, 'an integer from 0 up');
  checkOptional('partitionKey', o.partitionKey, isNonEmptyString, 'a non-empty string');
  checkOptional('taskId', o.taskId, isNonEmptyString, 'a non-empty string');
  checkOptional('name', o.name, isString, 'a string');
  checkOptional('priority', o.priority, isFiniteNumber, 'a finite number');
  checkOptional('retryStrategy', o.retryStrategy, isRetryStrategy, 'an object with nextDelay()');
  checkOptional('metadata', o.metadata, isPlainObject, 'a plain object');
  // On every store, so that a task one store takes, every store takes.
  if (o.taskId !== undefined) checkText('taskId', o.taskId, MAX_KEY_LENGTH);
  if (o.partitionKey !== undefined) checkText('partitionKey', o.partitionKey, MAX_KEY_LENGTH);
  if (o.name !== undefined) checkText('name', o.name);
}

const isValidDate: OptionPredicate = (v) => v instanceof Date && Number.isFinite(v.getTime());
const isString: OptionPredicate = (v) => typeof v === 'string';
const isFiniteNumber: OptionPredicate = (v) => typeof v === 'number' && Number.isFinite(v);
const isRetryStrategy: OptionPredicate = (v) => typeof (v as { nextDelay?: unknown })?.nextDelay === 'function';

/** For stores that keep JSON: everything of the task must survive it, or `schedule()` says what does not. */
function assertStorable(task: NewTask): void {
  assertJsonSafe(task.args, 'args');
  assertJsonSafe(task.metadata, 'metadata');
  const strategy = task.retryStrategy as { toJSON?: () => unknown } | undefined;
  if (strategy !== undefined && typeof strategy.toJSON !== 'function') {
    throw new TaskArgsNotSerializableError(
      Messages.notSerializable(
        'retryStrategy',
        'retryStrategy',
        'a custom strategy; set it on the handler (@TaskHandler({ retryStrategy })) or as the module default',
      ),
    );
  }
}

function describeClass(handler: unknown): string {
  if (typeof handler === 'function') return handler.name || 'An anonymous class';
  return `\`${String(handler)}\` (neither a handler name nor a class)`;
}
