import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';
import { checkKnownKeys } from '../validation/known-keys.validator.js';
import { checkOptional, isFunction, isPlainObject, checkOption } from '../validation/option.validator.js';
import { DashboardMessages } from './dashboard.messages.js';
import type { TaskQueueDashboardOptions } from './task-queue-dashboard-options.interface.js';

/** The options with defaults applied, checked once. */
export interface ResolvedDashboardOptions {
  /** `/task-queue`: leading slash, no trailing one. */
  path: string;
  guards: NonNullable<TaskQueueDashboardOptions['guards']>;
  readOnly: boolean;
  showArgs: TaskQueueDashboardOptions['showArgs'];
}

const KNOWN: ReadonlySet<string> = new Set(['path', 'guards', 'readOnly', 'showArgs', 'allowUnauthenticated']);
const isPath = (v: unknown) => typeof v === 'string' && /^\/?[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/?$/.test(v);
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isGuards = (v: unknown) =>
  Array.isArray(v) &&
  v.every((g) => typeof g === 'function' || typeof (g as { canActivate?: unknown })?.canActivate === 'function');

/** Checks the options and applies defaults; refuses an unguarded dashboard in production (see the message). */
export function resolveDashboardOptions(
  options: TaskQueueDashboardOptions = {},
  env: string | undefined = process.env.NODE_ENV,
): ResolvedDashboardOptions {
  checkOption('TaskQueueDashboardModule options', options, isPlainObject, 'an object');
  checkKnownKeys('TaskQueueDashboardModule', options, KNOWN);
  checkOptional('path', options.path, isPath, "a URL path such as '/task-queue' (letters, digits, . _ ~ - and /)");
  checkOptional('guards', options.guards, isGuards, 'an array of Nest guards (classes or instances)');
  checkOptional('readOnly', options.readOnly, isBoolean, 'a boolean');
  checkOptional('allowUnauthenticated', options.allowUnauthenticated, isBoolean, 'a boolean');
  checkOptional('showArgs', options.showArgs, (v) => isBoolean(v) || isFunction(v), 'a boolean or a function');
  const guards = options.guards ?? [];
  if (env === 'production' && guards.length === 0 && options.allowUnauthenticated !== true)
    throw new InvalidTaskOptionsError(DashboardMessages.unguardedInProduction());
  const path = `/${(options.path ?? '/task-queue').replace(/^\/+|\/+$/g, '')}`;
  return { path, guards, readOnly: options.readOnly ?? false, showArgs: options.showArgs };
}
