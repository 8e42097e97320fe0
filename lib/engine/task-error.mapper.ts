import type { TaskError } from '../interfaces/task-record.interface.js';

/** What a store keeps of a thrown value. A non-Error value is kept as its string form. */
export function toTaskError(thrown: unknown): TaskError {
  if (thrown instanceof Error) return { name: thrown.name, message: thrown.message, stack: thrown.stack };
  let message: string;
  try {
    message = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    message = String(thrown);
  }
  return { name: 'NonErrorThrown', message };
}
