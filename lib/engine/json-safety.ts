import { TaskArgsNotSerializableError } from '../errors/task-args-not-serializable.error.js';
import { Messages } from '../task-queue.messages.js';

/**
 * Throws unless `value` survives a JSON round trip unchanged in meaning: plain objects, arrays, strings,
 * finite numbers, booleans and null (undefined object properties are dropped, as JSON does).
 */
export function assertJsonSafe(value: unknown, what: string): void {
  const reason = findUnsafe(value, what, new Set());
  if (reason !== undefined) throw new TaskArgsNotSerializableError(Messages.notSerializable(what, reason[0], reason[1]));
}

function findUnsafe(value: unknown, path: string, ancestors: Set<object>): [string, string] | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : [path, `${value} (JSON turns it into null)`];
    case 'undefined':
      return undefined;
    case 'bigint':
      return [path, 'a BigInt (pass it as a string)'];
    case 'function':
      return [path, 'a function'];
    case 'symbol':
      return [path, 'a symbol'];
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return [path, 'a circular reference'];
  if (Array.isArray(object)) {
    ancestors.add(object);
    for (let i = 0; i < object.length; i++) {
      const found = findUnsafe(object[i], `${path}[${i}]`, ancestors);
      if (found) return found;
    }
    ancestors.delete(object);
    return undefined;
  }
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    const kind = object instanceof Date ? 'a Date (pass date.toISOString())' : `an instance of ${object.constructor?.name ?? 'a class'}`;
    return [path, kind];
  }
  ancestors.add(object);
  for (const key of Object.keys(object)) {
    const found = findUnsafe((object as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
    if (found) return found;
  }
  ancestors.delete(object);
  return undefined;
}
