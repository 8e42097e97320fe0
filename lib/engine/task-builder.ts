import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { TaskArgsNotSerializableError } from '../errors/task-args-not-serializable.error.js';
import { TaskArgsTooLargeError } from '../errors/task-args-too-large.error.js';
import { UnknownTaskHandlerError } from '../errors/unknown-task-handler.error.js';
import type { ScheduleOptions } from '../interfaces/schedule-options.interface.js';
import type { NewTask } from '../interfaces/task-record.interface.js';
import { Messages } from '../task-queue.messages.js';
import {
  checkOption,
  checkOptional,
  isNonEmptyString,
  isNonNegativeFinite,
  isNonNegativeInteger,
  isPlainObject,
  isPositiveFinite,
  isRetryStrategy,
  type OptionPredicate,
} from '../validation/option.validator.js';
import { checkKnownKeys } from '../validation/known-keys.validator.js';
import { checkText, MAX_KEY_LENGTH } from '../validation/text.validator.js';
import type { HandlerRegistry, RegisteredHandler } from './handler-registry.js';
import { assertJsonSafe } from './json-safety.js';
import { newTaskId } from './task-id.js';
import type { ResolvedTaskQueueOptions } from './resolved-task-queue.options.js';
import type { TaskDefaultsResolver } from './task-defaults.resolver.js';
import type { ClassReference } from '../interfaces/class-reference.js';
import { dependencyFields } from './flows/dependency-options.validator.js';
import { definedTask, isTaskDefinition, type TaskDefinition } from './deployments/task-definition.js';
import { DeploymentMessages } from './deployments/deployment.messages.js';

const NO_OPTIONS: ScheduleOptions = Object.freeze({});

/** A handler as `schedule()` accepts it: its registered or defined name, its class or its contract. */
export type HandlerReference = string | ClassReference | TaskDefinition<any, any>;

/** What scheduling needs of a handler: its name and defaults (a contract has them without a handler here). */
export type HandlerTarget = Pick<RegisteredHandler, 'name' | 'defaults'>;

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
    if (o.rateLimitKey !== undefined) {
      if (!this.options.store.supportsDeployments)
        throw new InvalidTaskOptionsError(DeploymentMessages.rateLimitKeyUnsupported());
      if (entry.defaults.rateLimit === undefined)
        throw new InvalidTaskOptionsError(DeploymentMessages.rateLimitKeyWithoutLimit(entry.name));
      task.rateLimitKey = o.rateLimitKey;
    }
    if (o.dependsOn !== undefined || o.onDependencyFailure !== undefined)
      Object.assign(task, dependencyFields(o, task.id, this.options.store));
    if (this.options.store.serialization === 'json') assertStorable(task);
    if (this.options.maxArgsBytes !== undefined) checkArgsSize(args, this.options.maxArgsBytes);
    return task;
  }

  /**
   * The handler registered here, else the contract: a producer schedules a contract's tasks without its handler.
   * A bare name neither registered nor defined in this process throws (typos stay caught).
   */
  resolveHandler(handler: HandlerReference): HandlerTarget {
    if (typeof handler === 'string') {
      const entry = this.registry.get(handler) ?? definedTask(handler);
      if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerName(handler));
      return entry;
    }
    if (isTaskDefinition(handler)) return this.registry.get(handler.name) ?? handler;
    const entry = typeof handler === 'function' ? this.registry.getByClass(handler) : undefined;
    if (entry === undefined) throw new UnknownTaskHandlerError(Messages.unknownHandlerClass(describeClass(handler)));
    return entry;
  }
}

/** Every key of ScheduleOptions (the compiler checks the list is complete): any other (`delayMs`) is a typo. */
const SCHEDULE_OPTION_KEYS: ReadonlySet<string> = new Set(
  Object.keys({
    name: true,
    delay: true,
    runAt: true,
    timeout: true,
    maxRetries: true,
    retryStrategy: true,
    partitionKey: true,
    priority: true,
    taskId: true,
    metadata: true,
    transaction: true,
    dependsOn: true,
    onDependencyFailure: true,
    rateLimitKey: true,
  } satisfies Record<keyof ScheduleOptions, true>),
);

function validate(o: ScheduleOptions): void {
  checkOption('options', o, isPlainObject, 'an object of schedule options');
  checkKnownKeys('schedule', o, SCHEDULE_OPTION_KEYS);
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
  checkOptional('rateLimitKey', o.rateLimitKey, isNonEmptyString, 'a non-empty string');
  // On every store, so that a task one store takes, every store takes.
  if (o.taskId !== undefined) checkText('taskId', o.taskId, MAX_KEY_LENGTH);
  if (o.partitionKey !== undefined) checkText('partitionKey', o.partitionKey, MAX_KEY_LENGTH);
  if (o.rateLimitKey !== undefined) checkText('rateLimitKey', o.rateLimitKey, MAX_KEY_LENGTH);
  if (o.name !== undefined) checkText('name', o.name);
}

const isValidDate: OptionPredicate = (v) => v instanceof Date && Number.isFinite(v.getTime());
const isString: OptionPredicate = (v) => typeof v === 'string';
const isFiniteNumber: OptionPredicate = (v) => typeof v === 'number' && Number.isFinite(v);

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

/**
 * Args over `maxArgsBytes` as UTF-8 JSON (what the durable stores keep) are refused. Args that JSON cannot take
 * (an in-memory store's Map, a cycle) have no such size: the store's own checks apply to them.
 */
function checkArgsSize(args: unknown, max: number): void {
  let json: string | undefined;
  try {
    json = JSON.stringify(args);
  } catch {
    return;
  }
  // A string's UTF-8 form is at most 3 bytes per UTF-16 unit: count the bytes only when it may matter.
  if (json === undefined || json.length * 3 <= max) return;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > max) throw new TaskArgsTooLargeError(Messages.argsTooLarge(bytes, max));
}

function describeClass(handler: unknown): string {
  if (typeof handler === 'function') return handler.name || 'An anonymous class';
  return `\`${String(handler)}\` (neither a handler name nor a class)`;
}
