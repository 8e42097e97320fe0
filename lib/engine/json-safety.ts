import { TaskArgsNotSerializableError } from '../errors/task-args-not-serializable.error.js';
import { Messages } from '../task-queue.messages.js';
import { textProblem } from '../validation/text.validator.js';

/**
 * The deepest nesting of objects and arrays taken. JSON.stringify recurses and overflows the stack near 4,000
 * levels (fewer on a deep stack), so this leaves room; it also bounds the check's own recursion.
 */
export const MAX_JSON_DEPTH = 1_000;

/** Path segments a too-deep path is shown with. */
const SHOWN_SEGMENTS = 20;

/** One check's state: the objects from the root to where it is, and, once it failed, the way there. */
interface Walk {
  ancestors: object[];
  /** Filled as a failure unwinds: the key or index taken at each depth, and the depth of the failure. */
  keys: (string | number)[];
  depth: number;
}

/**
 * Throws unless `value` survives a JSON round trip unchanged in meaning, on every store: plain objects, arrays,
 * strings every store can keep (no U+0000, no lone surrogates, in values and keys), finite numbers, booleans and
 * null (undefined object properties are dropped, as JSON does), nested at most MAX_JSON_DEPTH deep. One pass;
 * the path of a failure is built only when there is one.
 */
export function assertJsonSafe(value: unknown, what: string): void {
  const walk: Walk = { ancestors: [], keys: [], depth: 0 };
  const reason = findUnsafe(value, 0, walk);
  if (reason !== undefined)
    throw new TaskArgsNotSerializableError(Messages.notSerializable(what, pathOf(what, walk), reason));
}

function findUnsafe(value: unknown, depth: number, walk: Walk): string | undefined {
  switch (typeof value) {
    case 'string': {
      const problem = textProblem(value);
      return problem === undefined ? undefined : failAt(walk, depth, `a string holding ${problem}`);
    }
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : failAt(walk, depth, `${value} (JSON turns it into null)`);
    case 'bigint':
      return failAt(walk, depth, 'a BigInt (pass it as a string)');
    case 'function':
      return failAt(walk, depth, 'a function');
    case 'symbol':
      return failAt(walk, depth, 'a symbol');
  }
  if (value === null) return undefined;
  const object = value as object;
  // A linear scan: args are shallow as a rule, where it beats a Set; deep ones are bounded by MAX_JSON_DEPTH.
  const ancestors = walk.ancestors;
  for (let i = 0; i < depth; i++) if (ancestors[i] === object) return failAt(walk, depth, 'a circular reference');
  if (depth === MAX_JSON_DEPTH) return failAt(walk, depth, `nested more than ${MAX_JSON_DEPTH} levels deep`);
  ancestors[depth] = object;
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      const found = findUnsafe(object[i], depth + 1, walk);
      if (found !== undefined) return ((walk.keys[depth] = i), found);
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    const kind =
      object instanceof Date
        ? 'a Date (pass date.toISOString())'
        : `an instance of ${object.constructor?.name ?? 'a class'}`;
    return failAt(walk, depth, kind);
  }
  for (const key of Object.keys(object)) {
    const problem = textProblem(key);
    if (problem !== undefined) return failAt(walk, depth, `an object with a key holding ${problem}`);
    const found = findUnsafe((object as Record<string, unknown>)[key], depth + 1, walk);
    if (found !== undefined) return ((walk.keys[depth] = key), found);
  }
  return undefined;
}

/** Notes the depth where the check failed, and returns why. */
function failAt(walk: Walk, depth: number, reason: string): string {
  walk.depth = depth;
  return reason;
}

function pathOf(what: string, walk: Walk): string {
  let path = what;
  const shown = Math.min(walk.depth, SHOWN_SEGMENTS);
  for (let i = 0; i < shown; i++) {
    const key = walk.keys[i]!;
    path += typeof key === 'number' ? `[${key}]` : `.${key}`;
  }
  return walk.depth > shown ? `${path}…` : path;
}
