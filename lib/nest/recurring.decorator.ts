import type { RecurringOptions } from '../interfaces/recurring-options.interface.js';
import type { ClassReference } from '../interfaces/class-reference.js';

/** Options of `@Recurring()`: a schedule's options, its key (default: the handler's name) and the occurrences' args. */
export interface RecurringDeclaration extends RecurringOptions {
  key?: string;
  args?: unknown;
}

/** The schedules declared on each class, in the order written (class metadata, as Reflect metadata is kept). */
const declarations = new WeakMap<ClassReference, RecurringDeclaration[]>();

/**
 * Declares a recurring schedule of a `@TaskHandler()` class, upserted in the store by key at start-up (every
 * process does it; it is idempotent). May be applied more than once, with distinct `key`s.
 *
 * @example @Recurring({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' }) @TaskHandler() class DailyReportTask { ... }
 */
export function Recurring(options: RecurringDeclaration): ClassDecorator {
  return (target) => {
    const list = declarations.get(target) ?? [];
    // Decorators apply bottom-up: put each in front to keep the written order.
    declarations.set(target, [options, ...list]);
  };
}

/** The `@Recurring()` declarations of a class. */
export function recurringDeclarationsOf(target: ClassReference): readonly RecurringDeclaration[] {
  return declarations.get(target) ?? [];
}
