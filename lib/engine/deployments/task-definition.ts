import { DuplicateTaskDefinitionError } from '../../errors/duplicate-task-definition.error.js';
import type { TaskHandlerDefaults } from '../handler-registry.js';
import { checkOption, isNonEmptyString, isPlainObject } from '../../validation/option.validator.js';
import { checkText } from '../../validation/text.validator.js';
import { DeploymentMessages } from './deployment.messages.js';
import { checkTaskDefaults } from './handler-limits.validator.js';

/** Global (Symbol.for), so a contract made by the CommonJS build is known to the ESM one in the same process. */
const DEFINITION = Symbol.for('nest-task-queue:task-definition');

/**
 * A task contract: the handler's name, its defaults and (in types only) its args and result, shared by the apps
 * that schedule it and the app that runs it, with no handler class or dependency. Made by `defineTask()`; frozen.
 */
export interface TaskDefinition<Args = unknown, Result = unknown> {
  readonly name: string;
  readonly defaults: Readonly<TaskHandlerDefaults>;
  /** Types only (never set): what `TaskArgs` and `TaskResult` read. */
  readonly '~types'?: { readonly args: Args; readonly result: Result };
}

/** The args type of a contract. */
export type TaskArgs<D> = D extends TaskDefinition<infer A, any> ? A : never;
/** The result type of a contract. */
export type TaskResult<D> = D extends TaskDefinition<any, infer R> ? R : never;

/** The contracts defined in this process, by name: `schedule('name')` finds them too, and a conflict is caught. */
const defined = new Map<string, TaskDefinition>();

/**
 * Defines a task contract. `defaults` are those of `@TaskHandler` (timeout, maxRetries, retryStrategy,
 * concurrency, globalConcurrency, rateLimit). Throws `InvalidTaskOptionsError` for an empty name or a bad
 * default, and `DuplicateTaskDefinitionError` for a second contract of the name with other defaults.
 *
 * @example export const SendEmail = defineTask<{ email: string }, { messageId: string }>('send-email', { maxRetries: 3 });
 */
export function defineTask<Args = unknown, Result = unknown>(
  name: string,
  defaults: TaskHandlerDefaults = {},
): TaskDefinition<Args, Result> {
  checkOption('name', name, isNonEmptyString, 'a non-empty string');
  checkText('name', name);
  checkOption('defaults', defaults, isPlainObject, 'an object of handler defaults');
  checkTaskDefaults(defaults);
  const frozen = Object.freeze({ ...defaults, ...freezeRate(defaults) });
  const existing = defined.get(name);
  if (existing !== undefined && !sameDefaults(existing.defaults, frozen))
    throw new DuplicateTaskDefinitionError(DeploymentMessages.conflictingDefinition(name));
  const definition = Object.freeze({ name, defaults: frozen, [DEFINITION]: true });
  if (existing === undefined) defined.set(name, definition);
  return definition as TaskDefinition<Args, Result>;
}

export function isTaskDefinition(value: unknown): value is TaskDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION] === true;
}

/** The contract of this name defined in this process, if any. */
export function definedTask(name: string): TaskDefinition | undefined {
  return defined.get(name);
}

function freezeRate(defaults: TaskHandlerDefaults): Partial<TaskHandlerDefaults> {
  return defaults.rateLimit === undefined ? {} : { rateLimit: Object.freeze({ ...defaults.rateLimit }) };
}

const KEYS = ['timeout', 'maxRetries', 'retryStrategy', 'concurrency', 'globalConcurrency'] as const;

function sameDefaults(a: TaskHandlerDefaults, b: TaskHandlerDefaults): boolean {
  if (KEYS.some((key) => a[key] !== b[key] && !sameJson(a[key], b[key]))) return false;
  return a.rateLimit?.limit === b.rateLimit?.limit && a.rateLimit?.interval === b.rateLimit?.interval;
}

/** Two built-in retry strategies alike (their JSON descriptors match). */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
